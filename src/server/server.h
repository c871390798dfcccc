// Wires the process together: storage engine, the list of services on the port (each with its
// own lifecycle job and stop hook), request pipeline, HTTP listener, with a clean stop.
#pragma once

#include <memory>
#include <string>

#include "server/config.h"

namespace trib::server {

class Server {
 public:
  explicit Server(Config config);
  ~Server();
  // Opens storage and binds the port. False (with a message) when either fails.
  bool start(std::string* error);
  uint16_t port() const;
  // Serves until stop(); blocks.
  void run();
  void stop();
  // Why the server stopped on its own (the --init file could not be applied), or "".
  std::string failure() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trib::server
