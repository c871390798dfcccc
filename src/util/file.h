// Reading a whole file into memory.
#pragma once

#include <string>

namespace trib {

// The bytes of the file at `path`; false with `*error` set ("cannot read PATH: reason") if it
// cannot be opened.
bool read_whole_file(const std::string& path, std::string* contents, std::string* error);

}  // namespace trib
