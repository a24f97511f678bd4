# Warnings for every target of the project. Optimisation comes from the build type (Release:
# -O3 -DNDEBUG).
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict on std::string concatenation ("a" + std::to_string(n)) that cannot
# overlap (GCC bug 105329, fixed in 13): without this, valid code floods the build log.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
