# The memory allocator the programs link (the trapezoid binary and the benchmarks; the test
# binaries keep the system's). gperftools' tcmalloc (Debian libgoogle-perftools-dev) serves
# the small, short-lived blocks of a SIP element from per-thread caches in a few tens of
# instructions; glibc's malloc took a few hundred per allocation and free on the per-message
# path. Off under the sanitizers, which bring their own allocator.
option(TRAPEZOID_TCMALLOC "Link the programs with tcmalloc (gperftools)" ON)

add_library(trapezoid_allocator INTERFACE)
if(TRAPEZOID_TCMALLOC AND NOT TRAPEZOID_SANITIZE AND NOT TRAPEZOID_FUZZ)
  find_library(TCMALLOC_MINIMAL_LIBRARY tcmalloc_minimal)
  if(TCMALLOC_MINIMAL_LIBRARY)
    # Nothing calls it by name: keep the linker from dropping it as unneeded, so its malloc
    # and free take the place of the C library's.
    target_link_libraries(trapezoid_allocator INTERFACE
      "-Wl,--push-state,--no-as-needed" ${TCMALLOC_MINIMAL_LIBRARY} "-Wl,--pop-state")
    message(STATUS "Allocator: tcmalloc (${TCMALLOC_MINIMAL_LIBRARY})")
  else()
    message(WARNING "tcmalloc not found (Debian: libgoogle-perftools-dev): the programs use the system malloc")
  endif()
endif()
