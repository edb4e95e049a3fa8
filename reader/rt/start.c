/* SPDX-License-Identifier: MIT */
/*
 * The run-time's entry and exit: _start hands the kernel's stack to
 * rt_start, which finds the environment and the auxiliary vector, seeds
 * the stack protector's guard and calls main; main's return value goes
 * straight to exit_group.  Nothing is registered, flushed or torn down:
 * the reader writes its answer with write(2) and holds nothing else.
 * x86-64 only (the Makefile builds this run-time only there).
 *
 * The objects are built with -mstack-protector-guard=global, so the guard
 * is the variable __stack_chk_guard, not a thread-pointer slot: there is
 * no thread pointer to set up, which saves two system calls.
 */
#include <stddef.h>
#include <stdint.h>

#include "reader/rt/rt.h"

#if !defined(__x86_64__)
#error "reader/rt: x86-64 only; the Makefile links other machines with musl"
#endif

#define AT_RANDOM	25	/* the address of 16 random bytes */

int main(int argc, char *argv[]);
void rt_start(long *sp) __attribute__((noreturn, used));
void _exit(int status) __attribute__((noreturn));
void __stack_chk_fail(void) __attribute__((noreturn));

char **environ;
uintptr_t __stack_chk_guard;

/*
 * The kernel enters with %rsp at argc, 16-byte aligned, and no return
 * address; the ABI wants %rsp + 8 aligned at a function's entry, which the
 * call's pushed return address gives.  %rbp = 0 ends backtraces here.
 */
__asm__(".text\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call rt_start\n"
	"	hlt\n"
	".size _start, . - _start\n");

/* No canary of its own: the guard changes under it. */
#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
__attribute__((no_stack_protector))
#endif
#endif
void rt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	unsigned char *g = (unsigned char *)&__stack_chk_guard;
	const unsigned char *random = NULL;
	long *aux;
	size_t i;

	environ = argv + argc + 1;
	for (aux = (long *)environ; *aux != 0; aux++)
		;
	for (aux++; aux[0] != 0; aux += 2)
		if (aux[0] == AT_RANDOM)
			random = (const unsigned char *)aux[1];
	/* The first byte stays 0, as in the C libraries: a string overrun
	 * then cannot copy the guard, nor a string read show it. */
	for (i = 1; random != NULL && i < sizeof(__stack_chk_guard); i++)
		g[i] = random[i];
	_exit(main(argc, argv));
}

void _exit(int status)
{
	for (;;)
		__asm__ volatile("syscall" : : "a"(231 /* exit_group */),
				 "D"(status) : "rcx", "r11", "memory");
}

/* A smashed stack: die at once by a signal, as the C libraries do. */
void __stack_chk_fail(void)
{
	for (;;)
		__builtin_trap();
}

int *__errno_location(void);

int *__errno_location(void)
{
	return &rt_errno;
}

/*
 * sigsetjmp and siglongjmp for libshm's SIGBUS guard, which never saves
 * the signal mask (its handler runs with SA_NODEFER), so neither do these:
 * the buffer holds the callee-saved registers, the stack pointer and the
 * return address.  The shm-reader reads by pread(2) and never arms the
 * guard, but the code that can is linked.
 */
__asm__(".text\n"
	".globl sigsetjmp\n"
	".type sigsetjmp, @function\n"
	"sigsetjmp:\n"
	"	mov %rbx, 0(%rdi)\n"
	"	mov %rbp, 8(%rdi)\n"
	"	mov %r12, 16(%rdi)\n"
	"	mov %r13, 24(%rdi)\n"
	"	mov %r14, 32(%rdi)\n"
	"	mov %r15, 40(%rdi)\n"
	"	lea 8(%rsp), %rdx\n"
	"	mov %rdx, 48(%rdi)\n"
	"	mov (%rsp), %rdx\n"
	"	mov %rdx, 56(%rdi)\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	".size sigsetjmp, . - sigsetjmp\n"
	".globl siglongjmp\n"
	".type siglongjmp, @function\n"
	"siglongjmp:\n"
	"	mov %esi, %eax\n"
	"	test %eax, %eax\n"
	"	jnz 1f\n"
	"	inc %eax\n"
	"1:	mov 0(%rdi), %rbx\n"
	"	mov 8(%rdi), %rbp\n"
	"	mov 16(%rdi), %r12\n"
	"	mov 24(%rdi), %r13\n"
	"	mov 32(%rdi), %r14\n"
	"	mov 40(%rdi), %r15\n"
	"	mov 48(%rdi), %rsp\n"
	"	jmp *56(%rdi)\n"
	".size siglongjmp, . - siglongjmp\n");
