// tributary: the server process. See README.md for the flags and docs/ for the design.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <thread>

#include "server/config.h"
#include "server/logging.h"
#include "server/server.h"

int main(int argc, char** argv) {
  trib::server::Config config;
  if (auto exit_code = trib::server::parse_config(argc, argv, &config)) return *exit_code;

  trib::server::configure_logging(
      config.log_format == "json" ? trib::server::LogFormat::kJson : trib::server::LogFormat::kText,
      config.log_level);

  // SIGINT/SIGTERM are taken by one thread (sigwait) so a stop is orderly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  trib::server::Server server(config);
  std::string error;
  if (!server.start(&error)) {
    spdlog::error("{}", error);
    return 1;
  }
  std::thread signal_waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    spdlog::info("received signal {}, stopping", signal_number);
    server.stop();
  });
  std::printf("tributary listening on %s:%u\n", config.host.c_str(), server.port());
  std::fflush(stdout);
  spdlog::info("data: {}", config.in_memory ? std::string("in memory") : config.data_dir);
  server.run();
  // Wake the signal thread if the server stopped for another reason.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (const std::string failure = server.failure(); !failure.empty()) {
    spdlog::error("{}", failure);
    return 1;
  }
  spdlog::info("stopped");
  return 0;
}
