// A reader of RocksDB's write-ahead log format for one question RocksDB's own recovery modes
// cannot answer: is a damaged record followed by intact ones? (rocksdb_engine.cc asks it at
// start-up; docs/reliability.md, "Damaged data directory".)
//
// The format (RocksDB's db/log_format.h, LevelDB's doc/log_format.md): the file is a sequence
// of 32 KiB blocks; a block holds physical records, each a header — a masked CRC-32C (4 bytes,
// little-endian), the payload length (2), the type (1), and for the recyclable types 5-8 the
// log number (4) — then the payload; a record never crosses a block boundary (a longer logical
// record is cut into fragments, each with its own header), so every block starts with a
// header; fewer than a header's bytes left at the end of a block are zero padding. The CRC
// covers the type byte, the log number if any, and the payload.
//
// No RocksDB header is needed: this reads bytes.
#pragma once

#include <cstdint>
#include <string_view>

namespace trib::storage::detail {

struct WalDamage {
  // A record whose header or checksum is wrong, before the end of the file.
  bool found = false;
  uint64_t offset = 0;  // of the first such record
  // An intact record that begins a write (a whole record or a first fragment) somewhere after
  // it: at any byte offset in the rest of its block, or among the records of a later block
  // (read from the block's start, where a record always begins).
  // RocksDB's replay drops the rest of a block after a damaged record (its length cannot be
  // trusted), so it cannot see the first kind.
  bool intact_after = false;
};

// Walks the records of one log file from its start. A record cut short by the end of the file
// (an unfinished last write) is not damage.
WalDamage find_wal_damage(std::string_view log);

// RocksDB's checksum of a record: CRC-32C of `bytes`, masked as RocksDB masks stored CRCs.
uint32_t masked_crc32c(std::string_view bytes);

}  // namespace trib::storage::detail
