#include "storage/rocksdb/wal_scan.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>

#include "util/crc32c.h"

namespace trib::storage::detail {

namespace {

constexpr size_t kBlockBytes = 32 * 1024;
constexpr size_t kHeaderBytes = 7;
constexpr size_t kRecyclableHeaderBytes = 11;  // types 5-8 add the log number
// Record types (RocksDB 7's db/log_format.h): 1-4 whole, first, middle and last fragment;
// 5-8 the same in recycled log files; 9 the WAL compression setting. 10 is accepted too (a
// later version's type, from memory: timestamp sizes; not written by the RocksDB we link).
constexpr uint8_t kMaxRecordType = 10;
// RocksDB's util/crc32c.h: stored CRCs are rotated and offset, so that a CRC of data holding
// CRCs is not itself trivially a CRC.
constexpr uint32_t kMaskDelta = 0xa282ead8u;

enum class Record { kIntact, kDamaged, kCut, kPadding };

// A record that begins a write (a whole one, or the first fragment of one): only these count as
// intact writes after a damaged record. A lone later fragment of a write whose first fragment
// is damaged (the torn last write of a power loss, its pages written back out of order) is no
// write that the damage hides.
constexpr uint8_t kWriteTypes[] = {1, 2, 5, 6};

bool begins_a_write(std::string_view log, size_t at) {
  return std::ranges::find(kWriteTypes, static_cast<uint8_t>(log[at + 6])) != std::end(kWriteTypes);
}

// The offsets in [start, end), in order, holding a type that begins a write (1, 2, 5 or 6):
// the C library's memchr (vectorised) per type, each type's next offset kept until passed, so
// each byte is read at most once per type.
class WriteTypeFinder {
 public:
  WriteTypeFinder(std::string_view log, size_t start, size_t end) : log_(log), end_(end) {
    for (size_t i = 0; i < std::size(kWriteTypes); ++i) seek(i, start);
  }

  // The first such offset at or after `from`, or `end`.
  size_t next(size_t from) {
    size_t first = end_;
    for (size_t i = 0; i < std::size(kWriteTypes); ++i) {
      if (found_[i] < from) seek(i, from);
      first = std::min(first, found_[i]);
    }
    return first;
  }

 private:
  void seek(size_t i, size_t from) {
    const void* hit =
        from < end_ ? std::memchr(log_.data() + from, kWriteTypes[i], end_ - from) : nullptr;
    found_[i] =
        hit != nullptr ? static_cast<size_t>(static_cast<const char*>(hit) - log_.data()) : end_;
  }

  std::string_view log_;
  size_t end_;
  size_t found_[std::size(kWriteTypes)] = {};
};

// The record at `at`, in the block that ends at `block_end`; for an intact record or padding,
// `*next` is where the next record starts.
Record check_record(std::string_view log, size_t at, size_t block_end, size_t* next) {
  if (block_end - at < kHeaderBytes) {  // a block's zero trailer
    *next = block_end;
    return Record::kPadding;
  }
  if (at + kHeaderBytes > log.size()) return Record::kCut;
  const auto* p = reinterpret_cast<const unsigned char*>(log.data() + at);
  const uint32_t stored =
      uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  const size_t length = size_t{p[4]} | size_t{p[5]} << 8;
  const uint8_t type = p[6];
  if (type == 0 && length == 0) {  // zeros (a preallocated region): RocksDB skips the block
    *next = block_end;
    return Record::kPadding;
  }
  if (type == 0 || type > kMaxRecordType) return Record::kDamaged;
  const size_t header = type >= 5 && type <= 8 ? kRecyclableHeaderBytes : kHeaderBytes;
  const size_t end = at + header + length;
  // A writer never lets a record cross its block's end, so a length that does is damage even
  // at the end of the file; a record within its block that the end of the file cuts short is
  // an unfinished last write.
  if (end > block_end) return Record::kDamaged;
  if (end > log.size()) return Record::kCut;
  if (masked_crc32c(log.substr(at + 6, end - at - 6)) != stored) return Record::kDamaged;
  *next = end;
  return Record::kIntact;
}

}  // namespace

uint32_t masked_crc32c(std::string_view bytes) {
  const uint32_t value = crc32c(bytes);
  return ((value >> 15) | (value << 17)) + kMaskDelta;
}

WalDamage find_wal_damage(std::string_view log) {
  WalDamage damage;
  size_t at = 0;
  size_t next = 0;
  while (at < log.size()) {
    const size_t block_end = (at / kBlockBytes + 1) * kBlockBytes;
    const Record record = check_record(log, at, block_end, &next);
    if (record == Record::kCut) return damage;
    if (record != Record::kDamaged) {
      at = next;
      continue;
    }
    damage.found = true;
    damage.offset = at;
    // Only a record that begins a write counts, so the offsets probed are those whose type
    // byte (the header's 7th) says so, found with memchr: the checksum is computed at a few
    // offsets, not at each one. An offset with less than a header before the block's or the
    // file's end holds no intact record, so type bytes are sought up to that end.
    const size_t probe_end = std::min(block_end, log.size());
    WriteTypeFinder write_types(log, at + kHeaderBytes, probe_end);
    for (size_t type_at = write_types.next(at + kHeaderBytes); type_at < probe_end;
         type_at = write_types.next(type_at + 1)) {
      if (check_record(log, type_at - 6, block_end, &next) == Record::kIntact) {
        damage.intact_after = true;
        return damage;
      }
    }
    // Every later block starts with a record (perhaps a later fragment of a write begun in an
    // earlier block): walk each block's chain of intact records.
    for (size_t block = block_end; block < log.size(); block += kBlockBytes) {
      for (size_t in_block = block; in_block < log.size();) {
        const Record found = check_record(log, in_block, block + kBlockBytes, &next);
        if (found != Record::kIntact && found != Record::kPadding) break;
        if (found == Record::kIntact && begins_a_write(log, in_block)) {
          damage.intact_after = true;
          return damage;
        }
        if (next >= block + kBlockBytes) break;
        in_block = next;
      }
    }
    return damage;
  }
  return damage;
}

}  // namespace trib::storage::detail
