# Installs the built tapegrad into a fresh prefix, then configures, builds and installs the
# consumer project against it (tests/consumer/CMakeLists.txt asks for no C++ standard) and runs
# it from the prefix, with no TAPEGRAD_DATA_DIR and no data/ in its working directory: the
# datasets must come from the prefix. Called by ctest with -DBUILD_DIR, -DSOURCE_DIR, -DWORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY ${WORK_DIR})
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# The package names its dependencies; it records no path of this machine's BLAS.
file(GLOB package_files ${prefix}/lib*/cmake/tapegrad/*.cmake)
if(NOT package_files MATCHES "tapegradTargets\\.cmake")
  message(FATAL_ERROR "no tapegradTargets.cmake under ${prefix}/lib*/cmake/tapegrad")
endif()
foreach(file IN LISTS package_files)
  file(READ ${file} content)
  if(content MATCHES "/[^;\"> ]*lib(open)?blas[^;\"> ]*")
    message(FATAL_ERROR "${file} names a BLAS library by its path: ${CMAKE_MATCH_0}")
  endif()
endforeach()
file(READ ${SOURCE_DIR}/tests/consumer/CMakeLists.txt consumer_project)
if(consumer_project MATCHES "CMAKE_CXX_STANDARD|cxx_std_")
  message(FATAL_ERROR "the consumer project must not ask for a C++ standard itself")
endif()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${CMAKE_COMMAND} --install ${WORK_DIR}/build --prefix ${prefix})
unset(ENV{TAPEGRAD_DATA_DIR})
run(${prefix}/bin/consumer)
message(STATUS "${last_output}")
if(NOT last_output MATCHES "loss 121.0 grad 66.0 88.0\niris ${prefix}/share/tapegrad/data/iris.csv: 120 train, 30 test")
  message(FATAL_ERROR "unexpected output: ${last_output}")
endif()
