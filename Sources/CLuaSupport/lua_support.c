#include "lua_support.h"
