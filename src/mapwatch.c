/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mapwatch.c: mappings watched for SIGBUS (mapwatch.h). */
#include <config.h>

#include "mapwatch.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Mappings watched at once, at most: the catalog shown, the one being read beside
 * it, a view of one (--search), the similar stories' cache and the one being made. */
#define MAX_MAPPINGS 16

static struct {
	atomic_uintptr_t start, end; /* 0, 0: a free slot */
	atomic_bool cut;
} mappings[MAX_MAPPINGS];
static struct sigaction previous_sigbus;
static uintptr_t page_size;

static void on_sigbus(int sig, siginfo_t *info, void *context)
{
	uintptr_t at = (uintptr_t)info->si_addr;

	(void)context;
	for (int i = 0; i < MAX_MAPPINGS; i++) {
		uintptr_t start = atomic_load(&mappings[i].start),
			  end = atomic_load(&mappings[i].end);
		if (!start || at < start || at >= end)
			continue;
		uintptr_t page = at & ~(page_size - 1);
		/* mmap is a system call, safe here on Linux and the BSDs. */
		if (mmap((void *)page, end - page, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
			atomic_store(&mappings[i].cut, true);
			return; /* the read is done again, of a zero page */
		}
	}
	/* Not ours: the handler before (the default: the process ends) takes it. */
	sigaction(sig, &previous_sigbus, NULL);
}

int mapwatch_add(void *p, size_t n)
{
	struct sigaction now;

	/* Installed at each mapping watched: what was installed since (a test harness's
	 * handler) is kept as the one for a SIGBUS that is not ours. */
	if (sigaction(SIGBUS, NULL, &now) == 0 && now.sa_sigaction != on_sigbus) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
		sigaction(SIGBUS, &sa, &previous_sigbus);
	}
	for (int i = 0; i < MAX_MAPPINGS; i++) {
		uintptr_t free_slot = 0;
		if (!atomic_compare_exchange_strong(&mappings[i].start, &free_slot, (uintptr_t)p))
			continue;
		atomic_store(&mappings[i].cut, false);
		atomic_store(&mappings[i].end, (uintptr_t)p + n);
		return i;
	}
	return -1;
}

bool mapwatch_cut(int slot)
{
	return slot >= 0 && slot < MAX_MAPPINGS && atomic_load(&mappings[slot].cut);
}

void mapwatch_remove(int slot)
{
	if (slot < 0 || slot >= MAX_MAPPINGS)
		return;
	atomic_store(&mappings[slot].end, 0);
	atomic_store(&mappings[slot].start, 0);
}
