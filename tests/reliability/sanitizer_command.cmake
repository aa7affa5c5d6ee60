# docs/reliability.md gives the command that builds and tests tapegrad under the sanitizers;
# .ci/run must run that same line, word for word. Called by ctest with -DSOURCE_DIR.
file(STRINGS ${SOURCE_DIR}/docs/reliability.md doc_lines REGEX "^cmake -S \\. -B build-asan ")
file(STRINGS ${SOURCE_DIR}/.ci/run ci_lines REGEX "^cmake -S \\. -B build-asan ")
list(LENGTH doc_lines doc_count)
if(NOT doc_count EQUAL 1)
  message(FATAL_ERROR "docs/reliability.md should give one sanitizer command, found ${doc_count}")
endif()
if(NOT ci_lines STREQUAL doc_lines)
  message(FATAL_ERROR ".ci/run runs\n  ${ci_lines}\nbut docs/reliability.md gives\n  ${doc_lines}")
endif()
message(STATUS "both run: ${doc_lines}")
