// libFuzzer target for the write-ahead log reader of start-up (src/storage/rocksdb/wal_scan.cc):
// the input is a log file as found on disk, damaged or not. See README.md here.
//
// Invariants: the reader never reads outside the input (ASan) and ends; a damage it reports
// is inside the input; damage is found in the input exactly when it is found in the input
// followed by intact whole records (appended records change nothing before them), and then
// those records count as intact writes after it; a log of the same records built cleanly has
// no damage.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/rocksdb/wal_scan.h"

namespace {

using trib::storage::detail::find_wal_damage;
using trib::storage::detail::masked_crc32c;
using trib::storage::detail::WalDamage;

constexpr size_t kBlock = 32 * 1024;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

// Appends one whole (full-type) record as RocksDB's writer would, padding a block's end.
void append_full_record(std::string* log, std::string_view payload) {
  size_t left = kBlock - log->size() % kBlock;
  if (left < 7 + payload.size()) {
    log->append(left, '\0');
    left = kBlock;
  }
  std::string record(7, '\0');
  record[4] = static_cast<char>(payload.size() & 0xff);
  record[5] = static_cast<char>(payload.size() >> 8);
  record[6] = 1;
  record.append(payload);
  const uint32_t crc = masked_crc32c(std::string_view(record).substr(6));
  for (int i = 0; i < 4; ++i) record[i] = static_cast<char>(crc >> (8 * i));
  log->append(record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string log(reinterpret_cast<const char*>(data), size);
  const WalDamage damage = find_wal_damage(log);
  if (damage.found && damage.offset >= log.size()) broken("damage reported past the end");
  if (!damage.found && damage.intact_after) broken("intact writes after no damage");

  // The input padded to a block boundary, then two whole records: a cut end becomes damage
  // only if it was not a cut, so compare from a block boundary, where records begin.
  std::string padded = log;
  padded.append((kBlock - padded.size() % kBlock) % kBlock, '\0');
  const WalDamage before = find_wal_damage(padded);
  append_full_record(&padded, "an intact write");
  append_full_record(&padded, "and another");
  const WalDamage after = find_wal_damage(padded);
  if (before.found != after.found) broken("appended records changed whether damage is found");
  if (after.found && after.offset != before.offset) broken("appended records moved the damage");
  if (after.found && !after.intact_after) broken("appended records are not seen after damage");

  // The input's bytes as payloads of a clean log: no damage.
  std::string clean;
  for (size_t at = 0; at < log.size(); at += 1000) {
    append_full_record(&clean, std::string_view(log).substr(at, 1000));
  }
  if (find_wal_damage(clean).found) broken("a clean log has damage");
  return 0;
}
