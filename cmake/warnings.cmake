# Warning flags for tapegrad's own targets.
function(tapegrad_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports -Wrestrict inside libstdc++ for `"literal" + std::string` at -O2
    # (GCC bug 105651, fixed in GCC 13): a false positive in the standard library.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(TAPEGRAD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
