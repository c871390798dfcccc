// Java's hashCode() for the values AWS's Java front end prints. A structure inside a list is
// printed by Object.toString, "<class name>@<Integer.toHexString(hashCode())>", so the digits
// are a function of the content and Tributary must compute them as Java does.
//
// The JDK formulas (String, java.nio.ByteBuffer, Integer, Long, Boolean, Double, Float,
// java.util.Date, List, Map) are the JDK's documented ones. The structure formula is that of
// AWS's generated (Coral) model classes, which hash Arrays.hashCode(classNameHashCode,
// member1, member2, ...) in model member order, where classNameHashCode is
// Arrays.hashCode(new Object[] {"<fully qualified class name>"}). It reproduces AWS's recorded
// "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310" for an entry with empty
// PartitionKey and Data (mhart/kinesalite test/putRecords.js, recorded against AWS); the AWS
// SDK for Java v1 formula (the same chain without the class-name term) would give 7820.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "aws/value.h"
#include "model/model.h"

namespace trib::aws::java_hash {

// String.hashCode(): s[0]*31^(n-1) + ... over the UTF-16 code units of a UTF-8 string.
int32_t string_hash(std::string_view utf8);

// ByteBuffer.hashCode() of a buffer wrapping `bytes` (position 0, limit size): h = 1, then
// h = 31 * h + (signed byte) from the last byte down to the first.
int32_t byte_buffer_hash(std::string_view bytes);

// Long.hashCode(), also java.util.Date.hashCode() of epoch milliseconds.
int32_t long_hash(int64_t value);
// Boolean.hashCode(): 1231 or 1237.
int32_t boolean_hash(bool value);
// Double.hashCode() and Float.hashCode().
int32_t double_hash(double value);
int32_t float_hash(float value);

// Arrays.hashCode(Object[]) and List.hashCode() given the elements' hash codes (null is 0).
int32_t list_hash(std::span<const int32_t> element_hashes);

// A generated AWS model class: Arrays.hashCode over its class-name hash and its members'.
int32_t structure_hash(std::string_view class_name, std::span<const int32_t> member_hashes);

// hashCode() of a decoded value as AWS's front end holds it: `shape` says which Java type it
// is (Integer or Long, Double or Float); structures are classes named `class_prefix` + shape
// name. Absent members and null are 0.
int32_t value_hash(const Value& value, const model::Shape& shape, std::string_view class_prefix);

// Integer.toHexString(): lower-case hex of the unsigned value, no leading zeros.
std::string to_hex_string(int32_t value);

}  // namespace trib::aws::java_hash
