#include "CHeap.h"
#include <malloc.h>

int cheap_limit_arenas(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

size_t cheap_free_bytes(void) { return mallinfo2().fordblks; }

int cheap_trim(void) { return malloc_trim(0); }
