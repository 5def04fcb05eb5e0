# A tutorial example's smoke test (see tests/CMakeLists.txt, tg_example_test):
#   cmake -DEXE=... -DOUT=... -DEXPECT="re1@@re2" -DFIGURES="a@@b" -DGRAPHS="g" -P run_example.cmake
# Runs EXE --quick --out OUT, and fails unless it exits 0, its output matches every regular
# expression of EXPECT, and it wrote every figure of FIGURES (<name>.csv and <name>.gp, and
# <name>.png when gnuplot is installed) and every graph of GRAPHS (<name>.dot, and <name>.png when
# Graphviz is installed).
file(REMOVE_RECURSE "${OUT}")
execute_process(COMMAND "${EXE}" --quick --out "${OUT}" ${EXTRA_ARGS} OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc TIMEOUT 120)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}:\n${err}")
endif()
set(problems "")
string(REPLACE "@@" ";" expect "${EXPECT}")
foreach(re IN LISTS expect)
  if(NOT out MATCHES "${re}")
    list(APPEND problems "the output does not match: ${re}")
  endif()
endforeach()
# Every <name><ext> of `names` ("@@"-separated) must exist, with .png too when `program` is found.
function(expect_files names program)
  find_program(found_${program} ${program})
  string(REPLACE "@@" ";" names "${names}")
  foreach(name IN LISTS names)
    set(exts ${ARGN})
    if(found_${program})
      list(APPEND exts .png)
    endif()
    foreach(ext IN LISTS exts)
      if(NOT EXISTS "${OUT}/${name}${ext}")
        list(APPEND problems "missing ${OUT}/${name}${ext}")
      endif()
    endforeach()
  endforeach()
  set(problems "${problems}" PARENT_SCOPE)
endfunction()
expect_files("${FIGURES}" gnuplot .csv .gp)
expect_files("${GRAPHS}" dot .dot)
if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "${EXE}:\n  ${text}")
endif()
