// ASCII case folding, for protocol tokens (HTTP header names, SigV4 signed-header lists):
// only A-Z change, whatever the process locale; as std::tolower does in the "C" locale, without
// its call per byte.
#pragma once

#include <string>
#include <string_view>

namespace trib {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace trib
