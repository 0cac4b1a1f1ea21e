/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The umbrella of Nereid's NT headers: what ntos and ntdll include to see
 * every shared NT type, the STATUS_* constants (generated into
 * build/include/nt/ntstatus.h from include/nt/ntstatus.def) and the Rtl
 * prototypes. Users add -Iinclude -Ibuild/include.
 */
#pragma once

#include <nt/types.h>
#include <nt/ntstatus.h>
#include <nt/teb.h>
#include <nt/peb.h>
#include <nt/kuser.h>
#include <nt/context.h>
#include <nt/image.h>
#include <nt/rtl.h>
/* ntdllrt: ntdll's heap and locks */
#include <nt/sync.h>
#include <nt/heap.h>
#include <nt/ldr.h>
