/* SPDX-License-Identifier: MIT */
/*
 * The run-time's entry and exit: _start hands the kernel's stack to
 * rt_start, which sets up the stack protector's guard and calls main with
 * the arguments and the environment; main's return value goes straight to
 * exit_group.  Nothing is registered, flushed or torn down: the reader
 * writes its answer with write(2) and holds nothing else.  x86-64 only
 * (the Makefile builds this run-time only there).
 *
 * Nothing here writes static storage: a page of it would cost a page fault
 * on every check.  The guard lives where the compiler looks for it, at
 * %fs:0x28, in a thread control block on rt_start's own stack frame, which
 * lasts as long as the process; one arch_prctl(2) points %fs at it.
 */
#include <stddef.h>
#include <stdint.h>

#include "reader/rt/rt.h"

#if !defined(__x86_64__)
#error "reader/rt: x86-64 only; the Makefile links other machines with musl"
#endif

#define AT_RANDOM	25	/* the address of 16 random bytes */
#define ARCH_SET_FS	0x1002
#define SYS_ARCH_PRCTL	158
#define SYS_EXIT_GROUP	231

int main(int argc, char *argv[], char *envp[]);
void rt_start(long *sp) __attribute__((noreturn, used));
void _exit(int status) __attribute__((noreturn));
void __stack_chk_fail(void) __attribute__((noreturn));

/* The x86-64 thread control block as far as the compiler reads it: the
 * thread pointer itself at %fs:0, the guard at %fs:0x28. */
struct rt_tcb {
	struct rt_tcb *self;
	uintptr_t unused[4];
	uintptr_t guard;
};

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

/* No canary of its own: there is no guard until it has set one up. */
#if !defined(__has_attribute) || !__has_attribute(no_stack_protector)
#error "reader/rt: the compiler needs __attribute__((no_stack_protector))"
#endif
__attribute__((no_stack_protector))
void rt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	struct rt_tcb tcb = { .self = &tcb };
	const unsigned char *random = NULL;
	unsigned char *g = (unsigned char *)&tcb.guard;
	long *aux, r;
	size_t i;

	for (aux = (long *)envp; *aux != 0; aux++)
		;
	for (aux++; aux[0] != 0; aux += 2)
		if (aux[0] == AT_RANDOM)
			random = (const unsigned char *)aux[1];
	/* The first byte stays 0, as in the C libraries: a string overrun
	 * then cannot copy the guard, nor a string read show it. */
	for (i = 1; random != NULL && i < sizeof(tcb.guard); i++)
		g[i] = random[i];
	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(SYS_ARCH_PRCTL), "D"(ARCH_SET_FS), "S"(&tcb)
			 : "rcx", "r11", "memory");
	if (r != 0)
		_exit(127);
	_exit(main(argc, argv, envp));
}

void _exit(int status)
{
	for (;;)
		__asm__ volatile("syscall" : : "a"(SYS_EXIT_GROUP),
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
