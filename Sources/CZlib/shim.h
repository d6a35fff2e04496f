#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
/* zlib (Debian's zlib1g-dev): the flight recorder's chunk compression and CRC-32. */
#include <zlib.h>
#endif
