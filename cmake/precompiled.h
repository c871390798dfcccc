// Precompiled for every translation unit of tributary_core and unit_tests (CMakeLists.txt,
// TRIBUTARY_PCH): the standard-library, fmt and spdlog headers that most files include.
// Parsing them was about 2.2 s of the 7.5 s a typical source file takes to compile at -O3, on
// each of about 260 files, twice per CI run (the Release and the sanitizer build). Files still
// include what they use: a build with -DTRIBUTARY_PCH=OFF must compile.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
