// Tests of the write-ahead log reader (storage/rocksdb/wal_scan.h) on logs built here in
// RocksDB's format; storage_engine_test.cc checks it against logs RocksDB wrote.
#include "storage/rocksdb/wal_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace trib::storage::detail {
namespace {

constexpr size_t kBlock = 32 * 1024;

// Appends one logical record as RocksDB's log writer does: fragments of at most what is left
// in the block, a block with fewer than 7 bytes left padded with zeros.
void append_record(std::string* log, const std::string& payload) {
  size_t offset = 0;
  bool first = true;
  do {
    const size_t left = kBlock - log->size() % kBlock;
    if (left < 7) {
      log->append(left, '\0');
      continue;
    }
    const size_t room = left - 7;
    const size_t length = std::min(room, payload.size() - offset);
    const bool last = offset + length == payload.size();
    const uint8_t type = first && last ? 1 : first ? 2 : last ? 4 : 3;
    std::string record(7, '\0');
    record[4] = static_cast<char>(length & 0xff);
    record[5] = static_cast<char>(length >> 8);
    record[6] = static_cast<char>(type);
    record += payload.substr(offset, length);
    const uint32_t crc = masked_crc32c(std::string_view(record).substr(6));
    for (int i = 0; i < 4; ++i) record[i] = static_cast<char>(crc >> (8 * i));
    log->append(record);
    offset += length;
    first = false;
    if (last) break;
  } while (true);
}

std::string numbered_log(int count, size_t size) {
  std::string log;
  for (int i = 0; i < count; ++i)
    append_record(&log, "record-" + std::to_string(i) + std::string(size, 'x'));
  return log;
}

TEST(WalScan, MaskedCrc32cIsRocksDbs) {
  // CRC-32C("123456789") = 0xE3069283 (the check value of the Castagnoli polynomial), then
  // RocksDB's mask: rotated right by 15 bits plus 0xa282ead8.
  const uint32_t crc = 0xE3069283u;
  EXPECT_EQ(masked_crc32c("123456789"), ((crc >> 15) | (crc << 17)) + 0xa282ead8u);
}

TEST(WalScan, AnIntactLogHasNoDamage) {
  EXPECT_FALSE(find_wal_damage("").found);
  EXPECT_FALSE(find_wal_damage(numbered_log(200, 1000)).found);
  EXPECT_FALSE(find_wal_damage(numbered_log(3, 100000)).found);  // fragments across blocks
  std::string log = numbered_log(10, 100);
  log.append(kBlock - log.size() % kBlock, '\0');  // preallocated zeros to the block's end
  append_record(&log, "after the zeros");
  EXPECT_FALSE(find_wal_damage(log).found);
}

TEST(WalScan, DamageWithIntactRecordsAfterItInTheSameBlock) {
  const std::string log = numbered_log(20, 100);
  ASSERT_LT(log.size(), kBlock);
  std::string damaged = log;
  const size_t at = damaged.find("record-5x");
  damaged[at + 50] ^= 0x20;
  const WalDamage damage = find_wal_damage(damaged);
  EXPECT_TRUE(damage.found);
  EXPECT_EQ(damage.offset, at - 7);  // the record's header
  EXPECT_TRUE(damage.intact_after);

  std::string bad_length = log;
  bad_length[at - 7 + 4] = static_cast<char>(0xff);  // the length field
  EXPECT_TRUE(find_wal_damage(bad_length).intact_after);
}

// One physical record of any type, as the writer frames it (types 5-8 carry a log number).
std::string physical_record(uint8_t type, const std::string& payload) {
  std::string record(type >= 5 && type <= 8 ? 11 : 7, '\0');
  record[4] = static_cast<char>(payload.size() & 0xff);
  record[5] = static_cast<char>(payload.size() >> 8);
  record[6] = static_cast<char>(type);
  if (record.size() == 11) record[7] = 9;  // log number 9
  record += payload;
  const uint32_t crc = masked_crc32c(std::string_view(record).substr(6));
  for (int i = 0; i < 4; ++i) record[i] = static_cast<char>(crc >> (8 * i));
  return record;
}

TEST(WalScan, AnIntactWriteAtAnyOffsetAfterTheDamageInItsBlockIsFound) {
  // A damaged record at 0, random bytes, then at `at` an intact record of each type: only the
  // types that begin a write (1, 2, 5, 6) count, wherever they sit, up to the block's end.
  std::mt19937 random(15);
  std::string damaged = physical_record(1, std::string(40, 'd'));
  damaged[20] ^= 1;
  for (const uint8_t type : {1, 2, 3, 4, 5, 6}) {
    const std::string intact = physical_record(type, "an intact write");
    std::vector<size_t> offsets;
    for (size_t at = 7; at < 900; at += 1 + at / 40) offsets.push_back(at);
    offsets.push_back(kBlock - intact.size());  // ends at the block's end
    for (const size_t at : offsets) {
      std::string log = damaged;
      while (log.size() < at) log += static_cast<char>(random());
      log.resize(at);
      log += intact;
      while (log.size() < std::min(at + intact.size() + 300, kBlock)) {
        log += static_cast<char>(random());
      }
      const WalDamage damage = find_wal_damage(log);
      EXPECT_TRUE(damage.found);
      EXPECT_EQ(damage.offset, 0u);
      EXPECT_EQ(damage.intact_after, type == 1 || type == 2 || type == 5 || type == 6)
          << "type " << int{type} << " at " << at;
    }
  }
}

TEST(WalScan, DamageWithIntactRecordsOnlyInLaterBlocks) {
  std::string log = numbered_log(100, 1000);
  const size_t at = log.find("record-10x");
  ASSERT_LT(at, kBlock);
  // Damage the rest of the first block, so only later blocks hold intact records.
  for (size_t i = at; i < kBlock; ++i) log[i] = static_cast<char>(~log[i]);
  const WalDamage damage = find_wal_damage(log);
  EXPECT_TRUE(damage.found);
  EXPECT_TRUE(damage.intact_after);
}

TEST(WalScan, ADamagedOrCutEndIsNotDamageInTheMiddle) {
  const std::string log = numbered_log(20, 100);
  std::string damaged_end = log;
  damaged_end[damaged_end.rfind("record-19x") + 50] ^= 0x20;
  const WalDamage damage = find_wal_damage(damaged_end);
  EXPECT_TRUE(damage.found);
  EXPECT_FALSE(damage.intact_after);

  for (size_t cut = log.rfind("record-19x") - 7; cut < log.size(); cut += 13) {
    EXPECT_FALSE(find_wal_damage(log.substr(0, cut)).found) << cut;
  }
  // A last write over three blocks whose first fragment is damaged: its later fragments are
  // intact, but begin no write.
  std::string long_last = numbered_log(5, 100);
  append_record(&long_last, std::string(80000, 'z'));
  long_last[long_last.find("zzz") + 10] ^= 0x20;
  const WalDamage torn = find_wal_damage(long_last);
  EXPECT_TRUE(torn.found);
  EXPECT_FALSE(torn.intact_after);
  append_record(&long_last, "a whole write after it");
  EXPECT_TRUE(find_wal_damage(long_last).intact_after);

  std::string zeros_after = damaged_end;
  zeros_after.append(100, '\0');
  EXPECT_FALSE(find_wal_damage(zeros_after).intact_after);
}

// Found by wal_fuzz's first run: a length that crosses the block's end is damage even where
// the file ends (a writer never writes such a record), not an unfinished write; whether the
// file goes on past the block must not matter.
TEST(WalScan, ALengthPastTheBlockIsDamageEvenAtTheEnd) {
  std::string log = numbered_log(3, 100);
  const size_t at = log.size();
  append_record(&log, "the last write");
  log[at + 4] = static_cast<char>(0xff);  // length 0x..ff: past the block's end
  log[at + 5] = static_cast<char>(0xff);
  const WalDamage at_the_end = find_wal_damage(log);
  EXPECT_TRUE(at_the_end.found);
  EXPECT_EQ(at_the_end.offset, at);
  EXPECT_FALSE(at_the_end.intact_after);
  log.append(kBlock - log.size() % kBlock, '\0');
  append_record(&log, "a later write");
  const WalDamage later = find_wal_damage(log);
  EXPECT_TRUE(later.found);
  EXPECT_EQ(later.offset, at);
  EXPECT_TRUE(later.intact_after);
}

}  // namespace
}  // namespace trib::storage::detail
