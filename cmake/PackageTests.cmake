# ctest tests that use tensorgrad the way another project would (included from the top-level
# CMakeLists.txt when the tests are built). Both build the consumer project in tests/install/:
#
#   package.find_package     cmake --install this build into a temporary prefix, then configure the
#                            consumer with find_package(tensorgrad) against it (Eigen disabled, to
#                            prove the installed package does not need it), build and run it;
#   package.add_subdirectory configure the consumer with add_subdirectory(<this source tree>),
#                            build and run it. This compiles the library a second time; its
#                            build directory is kept, so later runs rebuild only what changed.
#
# Run just these with: ctest --test-dir build -L package --output-on-failure
set(_tg_consumer_args
  -DTG_SOURCE_DIR=${PROJECT_SOURCE_DIR}
  -DTG_BINARY_DIR=${PROJECT_BINARY_DIR}
  -DTG_WORK_DIR=${PROJECT_BINARY_DIR}/package-tests
  "-DTG_GENERATOR=${CMAKE_GENERATOR}"
  -DTG_CXX_COMPILER=${CMAKE_CXX_COMPILER}
  -DTG_CONFIG=$<CONFIG>
  -DTG_SANITIZE=${TG_SANITIZE}
  -DTG_NATIVE=${TG_NATIVE})
foreach(_tg_mode find_package add_subdirectory)
  add_test(NAME package.${_tg_mode}
    COMMAND ${CMAKE_COMMAND} ${_tg_consumer_args} -DTG_MODE=${_tg_mode} -P ${PROJECT_SOURCE_DIR}/cmake/ConsumerTest.cmake)
  set_tests_properties(package.${_tg_mode} PROPERTIES LABELS package TIMEOUT 1200)
endforeach()
unset(_tg_consumer_args)
