/* SPDX-License-Identifier: MIT */
/*
 * The floor: a static program that only exits, with no C library and no
 * start-up code.  Whatever it costs to fork, exec, run and reap is what
 * starting any process costs here; every health check is measured against it.
 * Built with -nostdlib -static, so the kernel maps one page of text and jumps
 * straight to _start.
 */
#if defined(__x86_64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov $60, %eax\n"	/* exit(0) */
	"	xor %edi, %edi\n"
	"	syscall\n");
#elif defined(__aarch64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov x8, #93\n"		/* exit(0) */
	"	mov x0, #0\n"
	"	svc #0\n");
#else
#error "floor.c: add the exit system call for this architecture"
#endif
