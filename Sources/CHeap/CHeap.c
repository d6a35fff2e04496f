#include "CHeap.h"
#include <malloc.h>

int cheap_limit_arenas(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

int cheap_keep_freed(size_t bytes) {
    return mallopt(M_TRIM_THRESHOLD, (int)bytes) && mallopt(M_MMAP_THRESHOLD, (int)bytes);
}

size_t cheap_free_bytes(void) { return mallinfo2().fordblks; }

int cheap_trim(void) { return malloc_trim(0); }
