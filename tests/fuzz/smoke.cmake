# The fuzz smoke run (see README.md here): this directory's libFuzzer targets built with the
# project's own compiler and flags (sanitizers too, under TRIBUTARY_SANITIZE) into one driver,
# fuzz_smoke, which ctest runs on the seed corpus plus a few seconds of deterministic mutations.
# Included from the top-level CMakeLists.txt (needs the tributary_core library).
set(TRIBUTARY_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(fuzz_smoke
  ${TRIBUTARY_FUZZ_DIR}/smoke_driver.cc
  ${TRIBUTARY_FUZZ_DIR}/cbor_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/eventstream_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/expression_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/partiql_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/sigv4_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/json_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/values_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/tokens_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/http1_fuzz.cc
  ${TRIBUTARY_FUZZ_DIR}/http2_fuzz.cc)
# Each target defines LLVMFuzzerTestOneInput; here each gets a name of its own.
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/cbor_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_cbor)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/eventstream_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_eventstream)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/expression_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_expression)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/partiql_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_partiql)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/sigv4_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_sigv4)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/json_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_json)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/values_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_values)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/tokens_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_tokens)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/http1_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_http1)
set_source_files_properties(${TRIBUTARY_FUZZ_DIR}/http2_fuzz.cc PROPERTIES
  COMPILE_DEFINITIONS LLVMFuzzerTestOneInput=tributary_fuzz_http2)
target_compile_options(fuzz_smoke PRIVATE ${TRIBUTARY_WARNINGS})
target_link_libraries(fuzz_smoke PRIVATE tributary_core)

add_test(NAME fuzz_smoke
  COMMAND fuzz_smoke ${TRIBUTARY_FUZZ_DIR}/corpus)
set_tests_properties(fuzz_smoke PROPERTIES TIMEOUT 120 LABELS fuzz)
