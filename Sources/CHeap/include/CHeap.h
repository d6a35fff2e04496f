// glibc's heap controls (<malloc.h>, not in Swift's Glibc module), for serve's HeapTrimmer.
#ifndef CHEAP_H
#define CHEAP_H
#include <stddef.h>

/// Caps the number of malloc arenas (mallopt M_ARENA_MAX); returns 1 on success.
int cheap_limit_arenas(int arenas);
/// Bytes the heap holds free (mallinfo2's fordblks).
size_t cheap_free_bytes(void);
/// Gives free heap memory back to the kernel (malloc_trim(0)); returns 1 if some was.
int cheap_trim(void);

#endif
