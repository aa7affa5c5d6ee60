# -DTAPEGRAD_SANITIZE=address,undefined builds the library, the tests, the tool and the examples
# with AddressSanitizer and UndefinedBehaviorSanitizer (any list that -fsanitize= accepts).
# Every report stops the program (-fno-sanitize-recover), so a test with undefined behaviour
# fails instead of printing a warning and passing. The link flag is part of the exported
# target: a project that links a sanitized tapegrad gets the sanitizer runtime with it.
set(TAPEGRAD_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined (empty: none)")

function(tapegrad_enable_sanitizers target)
  if(NOT TAPEGRAD_SANITIZE)
    return()
  endif()
  target_link_options(${target} PUBLIC -fsanitize=${TAPEGRAD_SANITIZE})
endfunction()

if(TAPEGRAD_SANITIZE)
  message(STATUS "tapegrad: building with -fsanitize=${TAPEGRAD_SANITIZE}")
  add_compile_options(-fsanitize=${TAPEGRAD_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${TAPEGRAD_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's -Wmaybe-uninitialized is unreliable with sanitizer instrumentation (the GCC manual
    # says so for -fsanitize=address); it fires inside libstdc++'s <regex> here.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
