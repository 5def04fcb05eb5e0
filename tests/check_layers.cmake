# The include rules of docs/architecture.md ("Layers"), checked on every test run:
#   cmake -DROOT=<source dir> -P tests/check_layers.cmake
# Fails with the list of every #include that a directory may not have.
if(NOT ROOT)
  message(FATAL_ERROR "check_layers.cmake: pass -DROOT=<the project's source directory>")
endif()

# directory (relative to ROOT) -> regular expression of the includes it must not have
set(rules
  "include/tensorgrad|#include [\"<](core|kernels|autograd|ops)/|#include <(Eigen|unsupported/Eigen)"
  "src/core|#include \"(kernels|autograd|ops)/"
  "src/kernels|#include \"(autograd|ops)/"
  "src/autograd|#include \"(kernels|ops)/"
  "src/ops|#include \"autograd/(graph|engine)|#include \"autograd/[a-z_]+\\.cpp"
  "src/nn|#include \"(kernels|autograd)/"
  "src/data|#include \"(kernels|autograd|ops)/"
  "src/io|#include \"(kernels|autograd|ops)/"
  "src/viz|#include \"(core|kernels|autograd|ops)/"
  "src/optim|#include \"(autograd|ops)/|#include \"kernels/[a-np-z]")  # of kernels/, only optim.h
# Eigen: src/kernels/, and the formulas of the activation descriptors (src/ops/activation.cpp).
set(eigen_allowed "src/kernels/|src/ops/activation\\.cpp$")

set(violations "")
set(checked 0)
foreach(rule ${rules})
  string(FIND "${rule}" "|" bar)
  string(SUBSTRING "${rule}" 0 ${bar} dir)
  math(EXPR start "${bar} + 1")
  string(SUBSTRING "${rule}" ${start} -1 forbidden)
  file(GLOB_RECURSE files "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cpp")
  if(NOT files)
    list(APPEND violations "${dir}: no source files found (is ROOT right?)")
  endif()
  foreach(f ${files})
    file(RELATIVE_PATH rel "${ROOT}" "${f}")
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
    math(EXPR checked "${checked} + 1")
    foreach(line ${lines})
      if(line MATCHES "${forbidden}")
        list(APPEND violations "${rel}: ${line}")
      elseif(line MATCHES "#include <(Eigen|unsupported/Eigen)" AND NOT rel MATCHES "${eigen_allowed}")
        list(APPEND violations "${rel}: ${line} (Eigen is private to src/kernels/)")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "includes that break the layers of docs/architecture.md:\n  ${text}")
endif()
message(STATUS "layers: ${checked} files follow the include rules of docs/architecture.md")
