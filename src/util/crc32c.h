// CRC-32C (Castagnoli), as RocksDB checksums the records of its write-ahead log
// (storage/rocksdb/wal_scan.h reads them).
#pragma once

#include <cstdint>
#include <string_view>

namespace trib {

// `crc` continues a previous result (0 to start).
uint32_t crc32c(std::string_view bytes, uint32_t crc = 0);

// The same without SSE 4.2's crc32 instruction, which crc32c() uses where the CPU has it (the
// path of other machines, here for its test).
uint32_t crc32c_portable(std::string_view bytes, uint32_t crc = 0);

}  // namespace trib
