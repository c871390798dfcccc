// The "fuzz smoke" run: a standalone driver for this directory's libFuzzer targets, built with
// the project's own compiler (GCC) into build/fuzz_smoke and run by ctest (`make test`) and by
// `make asan` under AddressSanitizer + UBSan. No coverage feedback: every seed of
// tests/fuzz/corpus/<target>/ is run as it is, then a bounded number of mutations of them
// (bit flips, interesting bytes and integers, inserts, erasures, copies, truncation, splices)
// from a fixed random seed, so a run is repeatable. A few seconds in all; libFuzzer (README.md)
// is for long runs.
//
//   fuzz_smoke CORPUS_ROOT [--iterations N] [--seed S] [--only TARGET] [--max-seconds S]
//     (defaults: each target's own iteration count, seed 20260101, at most 20 s per target)
//   fuzz_smoke --replay TARGET FILE...      run one target on the given inputs
//
// When an input crashes (a sanitizer report, an abort from a broken invariant, a signal) it is
// written to fuzz-smoke-crash-<target>.bin in the working directory first; replay it with
// --replay or with the libFuzzer binary.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

// The targets, each compiled with LLVMFuzzerTestOneInput renamed (see tests/fuzz/smoke.cmake).
extern "C" int tributary_fuzz_cbor(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_eventstream(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_expression(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_partiql(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_sigv4(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_json(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_values(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_tokens(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_http1(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_http2(const uint8_t* data, size_t size);
extern "C" int tributary_fuzz_wal(const uint8_t* data, size_t size);

// Present only in sanitizer builds.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

struct Target {
  const char* name;
  int (*run)(const uint8_t*, size_t);
  uint64_t default_iterations;  // about half a second each in a Release build
};

constexpr std::array<Target, 11> kTargets = {{
    {"cbor", &tributary_fuzz_cbor, 1'000'000},
    {"eventstream", &tributary_fuzz_eventstream, 200'000},
    {"expression", &tributary_fuzz_expression, 100'000},
    {"partiql", &tributary_fuzz_partiql, 100'000},
    {"sigv4", &tributary_fuzz_sigv4, 100'000},
    {"json", &tributary_fuzz_json, 200'000},
    {"values", &tributary_fuzz_values, 1'000'000},
    {"tokens", &tributary_fuzz_tokens, 100'000},
    {"http1", &tributary_fuzz_http1, 20'000},
    {"http2", &tributary_fuzz_http2, 20'000},
    {"wal", &tributary_fuzz_wal, 5'000},
}};

constexpr size_t kMaxInputBytes = 64 * 1024;
constexpr size_t kPoolLimit = 512;

// --- The input being run, saved when the process dies ------------------------------------------

const uint8_t* g_current_data = nullptr;
size_t g_current_size = 0;
char g_crash_path[256] = "fuzz-smoke-crash.bin";

void save_current_input() {
  static volatile sig_atomic_t saved = 0;
  if (saved || g_current_data == nullptr) return;
  saved = 1;
  const int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    size_t written = 0;
    while (written < g_current_size) {
      const ssize_t n = write(fd, g_current_data + written, g_current_size - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(fd);
  }
  constexpr char kNote[] = "fuzz_smoke: the crashing input was written to ";
  [[maybe_unused]] ssize_t ignored = write(STDERR_FILENO, kNote, sizeof(kNote) - 1);
  ignored = write(STDERR_FILENO, g_crash_path, strlen(g_crash_path));
  ignored = write(STDERR_FILENO, "\n", 1);
}

void on_fatal_signal(int signal_number) {
  save_current_input();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_crash_handlers() {
  for (const int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    std::signal(signal_number, &on_fatal_signal);
  }
  if (&__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(&save_current_input);
  }
}

void run_one(const Target& target, const std::string& input) {
  g_current_data = reinterpret_cast<const uint8_t*>(input.data());
  g_current_size = input.size();
  target.run(g_current_data, g_current_size);
  g_current_data = nullptr;
}

// --- Deterministic mutations ---------------------------------------------------------------

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next() {  // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  size_t below(size_t limit) { return limit == 0 ? 0 : static_cast<size_t>(next() % limit); }

 private:
  uint64_t state_;
};

// Bytes that mean something to CBOR (heads, breaks, tags) or are edge values.
constexpr std::array<uint8_t, 20> kInterestingBytes = {0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b,
                                                       0x1f, 0x3f, 0x5f, 0x7f, 0x80, 0x9f, 0xa0,
                                                       0xbf, 0xc1, 0xf4, 0xf9, 0xfb, 0xff};
constexpr std::array<uint64_t, 10> kInterestingIntegers = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff, 0x100000000ull};

void mutate_once(std::string& data, const std::vector<std::string>& pool, Random& random) {
  const size_t size = data.size();
  switch (random.below(9)) {
    case 0:  // flip one bit
      if (size) data[random.below(size)] ^= static_cast<char>(1 << random.below(8));
      break;
    case 1:  // an interesting byte
      if (size)
        data[random.below(size)] =
            static_cast<char>(kInterestingBytes[random.below(kInterestingBytes.size())]);
      break;
    case 2:  // a random byte
      if (size) data[random.below(size)] = static_cast<char>(random.next());
      break;
    case 3: {  // insert a few random bytes
      std::string bytes(1 + random.below(8), '\0');
      for (auto& byte : bytes) byte = static_cast<char>(random.next());
      data.insert(random.below(size + 1), bytes);
      break;
    }
    case 4:  // erase a range
      if (size) {
        const size_t at = random.below(size);
        data.erase(at, 1 + random.below(std::min<size_t>(size - at, 16)));
      }
      break;
    case 5:  // copy a range elsewhere
      if (size) {
        const size_t from = random.below(size);
        const std::string chunk =
            data.substr(from, 1 + random.below(std::min<size_t>(size - from, 32)));
        data.insert(random.below(size + 1), chunk);
      }
      break;
    case 6:  // truncate
      if (size) data.resize(random.below(size));
      break;
    case 7: {  // splice with another pool entry
      const std::string& other = pool[random.below(pool.size())];
      data = data.substr(0, random.below(size + 1)) + other.substr(random.below(other.size() + 1));
      break;
    }
    default: {  // an interesting big-endian integer of 1, 2, 4 or 8 bytes
      const size_t width = size_t{1} << random.below(4);
      if (size < width) break;
      const size_t at = random.below(size - width + 1);
      const uint64_t value = kInterestingIntegers[random.below(kInterestingIntegers.size())] +
                             (random.below(4) == 0 ? size : 0);
      for (size_t i = 0; i < width; ++i) {
        data[at + i] = static_cast<char>((value >> (8 * (width - 1 - i))) & 0xff);
      }
      break;
    }
  }
  if (data.size() > kMaxInputBytes) data.resize(kMaxInputBytes);
}

// FNV-1a: a per-target random stream that is the same on every platform.
uint64_t name_hash(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : name) hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return hash;
}

// --- Running ---------------------------------------------------------------------------------

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const Target* find_target(std::string_view name) {
  for (const auto& target : kTargets) {
    if (name == target.name) return &target;
  }
  return nullptr;
}

struct Options {
  std::filesystem::path corpus_root;
  uint64_t iterations = 0;  // 0: each target's default_iterations
  uint64_t seed = 20260101;
  double max_seconds = 20;
  std::string only;
};

// Runs the seeds, then the mutations. Returns false when the corpus is missing.
bool smoke(const Target& target, const Options& options) {
  const auto directory = options.corpus_root / target.name;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (error || files.empty()) {
    std::fprintf(stderr, "fuzz_smoke: no seed inputs in %s\n", directory.c_str());
    return false;
  }
  std::sort(files.begin(), files.end());  // the same order everywhere, for repeatable runs
  std::vector<std::string> pool;
  for (const auto& file : files) pool.push_back(read_file(file));
  const size_t seeds = pool.size();

  std::snprintf(g_crash_path, sizeof(g_crash_path), "fuzz-smoke-crash-%s.bin", target.name);
  const auto start = std::chrono::steady_clock::now();
  for (const auto& input : pool) run_one(target, input);

  Random random(options.seed ^ name_hash(target.name));
  uint64_t done = 0;
  size_t replaced = 0;
  const uint64_t iterations = options.iterations ? options.iterations : target.default_iterations;
  for (; done < iterations; ++done) {
    if ((done & 255) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
            options.max_seconds) {
      std::printf("fuzz_smoke: %s: stopped after %.0f s\n", target.name, options.max_seconds);
      break;
    }
    std::string input = pool[random.below(pool.size())];
    // Mostly one mutation: CBOR and event-stream inputs rarely survive several.
    const size_t rounds = random.below(4) == 0 ? 2 + random.below(3) : 1;
    for (size_t round = 0; round < rounds; ++round) mutate_once(input, pool, random);
    run_one(target, input);
    // Keep some mutants so that mutations stack up over the run (bounded, deterministic).
    if (random.below(16) == 0) {
      if (pool.size() < kPoolLimit) {
        pool.push_back(std::move(input));
      } else {
        pool[seeds + (replaced++ % (kPoolLimit - seeds))] = std::move(input);
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fuzz_smoke: %s: %zu seeds + %llu mutations, no crash (%.2f s)\n", target.name, seeds,
              static_cast<unsigned long long>(done), seconds);
  return true;
}

int usage() {
  std::fprintf(stderr,
               "usage: fuzz_smoke CORPUS_ROOT [--iterations N] [--seed S] [--only TARGET] "
               "[--max-seconds S]\n"
               "       fuzz_smoke --replay TARGET FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines survive a crash
  install_crash_handlers();
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "--replay") {
    const Target* target = find_target(args[1]);
    if (target == nullptr) return usage();
    for (size_t i = 2; i < args.size(); ++i) {
      run_one(*target, read_file(std::filesystem::path(args[i])));
      std::printf("fuzz_smoke: %s: %s ran without a crash\n", target->name,
                  std::string(args[i]).c_str());
    }
    return 0;
  }
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--iterations" && has_value) {
      options.iterations = std::strtoull(std::string(args[++i]).c_str(), nullptr, 10);
    } else if (args[i] == "--seed" && has_value) {
      options.seed = std::strtoull(std::string(args[++i]).c_str(), nullptr, 10);
    } else if (args[i] == "--max-seconds" && has_value) {
      options.max_seconds = std::strtod(std::string(args[++i]).c_str(), nullptr);
    } else if (args[i] == "--only" && has_value) {
      options.only = std::string(args[++i]);
    } else if (options.corpus_root.empty() && !args[i].starts_with("--")) {
      options.corpus_root = std::filesystem::path(args[i]);
    } else {
      return usage();
    }
  }
  if (options.corpus_root.empty()) return usage();
  if (!options.only.empty() && find_target(options.only) == nullptr) return usage();
  bool ok = true;
  for (const auto& target : kTargets) {
    if (!options.only.empty() && options.only != target.name) continue;
    ok = smoke(target, options) && ok;
  }
  return ok ? 0 : 1;
}
