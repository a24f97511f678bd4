# Warnings for every target of the project. Optimisation comes from the build type (Release:
# -O3 -DNDEBUG).
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
