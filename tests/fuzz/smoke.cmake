# The fuzz smoke run (see README.md here): this directory's libFuzzer targets built with the
# project's own compiler and flags (sanitizers too, under TRIBUTARY_SANITIZE) into one driver,
# fuzz_smoke, which ctest runs on the seed corpus plus a few seconds of deterministic mutations.
# Included from the top-level CMakeLists.txt (needs the tributary_core library).
set(TRIBUTARY_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

# The targets, <name>_fuzz.cc each; smoke_driver.cc lists them too.
set(TRIBUTARY_FUZZ_TARGETS
  cbor eventstream expression partiql sigv4 json values tokens http1 http2 wal)
set(TRIBUTARY_FUZZ_SOURCES ${TRIBUTARY_FUZZ_DIR}/smoke_driver.cc)
foreach(target IN LISTS TRIBUTARY_FUZZ_TARGETS)
  # Each target defines LLVMFuzzerTestOneInput; here each gets a name of its own.
  set(source ${TRIBUTARY_FUZZ_DIR}/${target}_fuzz.cc)
  list(APPEND TRIBUTARY_FUZZ_SOURCES ${source})
  set_source_files_properties(${source} PROPERTIES
    COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_${target})
endforeach()
add_executable(fuzz_smoke ${TRIBUTARY_FUZZ_SOURCES})
target_compile_options(fuzz_smoke PRIVATE ${TRIBUTARY_WARNINGS})
target_link_libraries(fuzz_smoke PRIVATE tributary_core)

add_test(NAME fuzz_smoke
  COMMAND fuzz_smoke ${TRIBUTARY_FUZZ_DIR}/corpus)
set_tests_properties(fuzz_smoke PROPERTIES TIMEOUT 120 LABELS fuzz)
