# ASan + UBSan for the whole build; UBSan findings abort so tests fail on them.
if(TRAPEZOID_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
# Fuzzing: every library gets coverage instrumentation; fuzz targets link libFuzzer's main.
if(TRAPEZOID_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TRAPEZOID_FUZZ needs clang (libFuzzer)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
