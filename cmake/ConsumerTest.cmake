# Script (cmake -P) behind the package.* tests of cmake/PackageTests.cmake: builds and runs the
# consumer project tests/install/ against tensorgrad, either installed (TG_MODE=find_package) or
# as a subdirectory (TG_MODE=add_subdirectory). Everything happens under TG_WORK_DIR/TG_MODE.
cmake_minimum_required(VERSION 3.20)

foreach(var TG_SOURCE_DIR TG_BINARY_DIR TG_WORK_DIR TG_MODE TG_CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "ConsumerTest.cmake: -D${var}=... is required")
  endif()
endforeach()

set(work "${TG_WORK_DIR}/${TG_MODE}")
if(TG_MODE STREQUAL "add_subdirectory")
  # Kept between runs: this build compiles the whole library a second time, so after the first
  # run only what changed is rebuilt. Every option is passed again below, so the cache follows.
  file(MAKE_DIRECTORY "${work}")
else()
  # The install and the consumer are cheap: start from nothing every time.
  file(REMOVE_RECURSE "${work}")
  file(MAKE_DIRECTORY "${work}")
endif()

set(config_args)
if(TG_CONFIG)
  set(config_args --config "${TG_CONFIG}")
endif()

function(run)
  execute_process(COMMAND ${ARGN} COMMAND_ECHO STDOUT RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

set(consumer_args
  -S "${TG_SOURCE_DIR}/tests/install" -B "${work}/build"
  "-DCMAKE_CXX_COMPILER=${TG_CXX_COMPILER}"
  "-DCMAKE_BUILD_TYPE=${TG_CONFIG}")
if(TG_GENERATOR)
  list(APPEND consumer_args -G "${TG_GENERATOR}")
endif()

if(TG_MODE STREQUAL "find_package")
  set(prefix "${work}/prefix")
  run("${CMAKE_COMMAND}" --install "${TG_BINARY_DIR}" --prefix "${prefix}" ${config_args})

  # What the package must contain, and what it must not mention.
  file(GLOB_RECURSE config_files "${prefix}/*/tensorgradConfig.cmake")
  if(NOT config_files)
    message(FATAL_ERROR "no tensorgradConfig.cmake under ${prefix}")
  endif()
  list(GET config_files 0 config_file)
  get_filename_component(config_dir "${config_file}" DIRECTORY)
  foreach(f tensorgradConfigVersion.cmake tensorgradTargets.cmake)
    if(NOT EXISTS "${config_dir}/${f}")
      message(FATAL_ERROR "${f} is missing from ${config_dir}")
    endif()
  endforeach()
  if(NOT EXISTS "${prefix}/include/tensorgrad/tensorgrad.h")
    message(FATAL_ERROR "the umbrella header include/tensorgrad/tensorgrad.h was not installed")
  endif()
  file(GLOB targets_files "${config_dir}/tensorgradTargets*.cmake")
  foreach(f ${targets_files})
    file(STRINGS "${f}" eigen_lines REGEX "Eigen")
    if(eigen_lines)
      message(FATAL_ERROR "the exported targets mention Eigen (${f}): ${eigen_lines}")
    endif()
  endforeach()
  file(GLOB_RECURSE headers "${prefix}/include/tensorgrad/*")
  foreach(h ${headers})
    file(STRINGS "${h}" eigen_includes REGEX "#[ \t]*include[ \t]*[<\"](Eigen|unsupported/Eigen)")
    if(eigen_includes)
      message(FATAL_ERROR "an installed public header includes Eigen (${h}): ${eigen_includes}")
    endif()
  endforeach()

  # Eigen is switched off for the consumer: the package must not need it.
  run("${CMAKE_COMMAND}" ${consumer_args} -DTG_CONSUMER_MODE=find_package
      --no-warn-unused-cli "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
elseif(TG_MODE STREQUAL "add_subdirectory")
  # This compiles the whole library again. What is tested is how the projects fit together, not
  # speed, so it is built unoptimised (-O0 compiles the Eigen kernels several times faster than
  # -O3), with no build type: that also checks that tensorgrad leaves the parent's build type alone.
  list(FILTER consumer_args EXCLUDE REGEX "^-DCMAKE_BUILD_TYPE=")
  run("${CMAKE_COMMAND}" ${consumer_args} -DTG_CONSUMER_MODE=add_subdirectory -DCMAKE_BUILD_TYPE=
      "-DCMAKE_CXX_FLAGS=-O0 -g0" "-DTENSORGRAD_SOURCE_DIR=${TG_SOURCE_DIR}" "-DTG_SANITIZE=${TG_SANITIZE}"
      "-DTG_NATIVE=${TG_NATIVE}")
  set(config_args)
else()
  message(FATAL_ERROR "unknown TG_MODE '${TG_MODE}' (find_package or add_subdirectory)")
endif()

include(ProcessorCount)
ProcessorCount(jobs)
if(jobs EQUAL 0)
  set(jobs 2)
endif()
run("${CMAKE_COMMAND}" --build "${work}/build" ${config_args} -j ${jobs})

file(GLOB_RECURSE exe "${work}/build/tg_consumer" "${work}/build/*/tg_consumer" "${work}/build/tg_consumer.exe")
if(NOT exe)
  message(FATAL_ERROR "the consumer program was not built")
endif()
list(GET exe 0 exe)
run("${exe}")
