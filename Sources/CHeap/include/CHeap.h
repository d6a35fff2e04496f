// glibc's heap controls (<malloc.h>, not in Swift's Glibc module), for serve's HeapTrimmer.
#ifndef CHEAP_H
#define CHEAP_H
#include <stddef.h>

/// Caps the number of malloc arenas (mallopt M_ARENA_MAX); returns 1 on success.
int cheap_limit_arenas(int arenas);
/// Makes free() give memory back to the kernel only once more than `bytes` are free at the top of
/// the heap (M_TRIM_THRESHOLD), and serves requests of up to `bytes` from the heap rather than
/// from mappings of their own (M_MMAP_THRESHOLD); returns 1 on success.
int cheap_keep_freed(size_t bytes);
/// Bytes the heap holds free (mallinfo2's fordblks).
size_t cheap_free_bytes(void);
/// Gives free heap memory back to the kernel (malloc_trim(0)); returns 1 if some was.
int cheap_trim(void);

#endif
