/* SPDX-License-Identifier: MIT */
/*
 * The run-time's entry and exit: _start hands the kernel's stack to
 * rt_start, which sets up the stack protector's guard and calls main with
 * the arguments and the environment; main's return value goes straight to
 * exit_group.  Nothing is registered, flushed or torn down: the reader
 * writes its answer with write(2) and holds nothing else.  x86-64 only
 * (the Makefile builds this run-time only there).
 *
 * The program has no static storage that is not thread-local (the
 * Makefile checks it has no writable segment): a writable segment costs
 * execve and exit work, and a page of it written a page fault, on every
 * check.  The thread-local block (errno, libshm's SIGBUS guard) and the
 * thread control block, which holds the stack protector's guard where the
 * compiler looks for it (%fs:0x28), are on rt_start's own stack frame,
 * which lasts as long as the process; one arch_prctl(2) points %fs there.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "reader/rt/rt.h"

#if !defined(__x86_64__)
#error "reader/rt: x86-64 only; the Makefile links other machines with musl"
#endif

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

/* What rt_start needs of the auxiliary vector. */
struct rt_aux {
	const Elf64_Phdr *phdr;
	size_t phnum;
	const unsigned char *random;	/* 16 random bytes */
};

__attribute__((no_stack_protector))
static void read_aux(const long *aux, struct rt_aux *a)
{
	for (; aux[0] != AT_NULL; aux += 2) {
		if (aux[0] == AT_PHDR)
			a->phdr = (const Elf64_Phdr *)aux[1];
		else if (aux[0] == AT_PHNUM)
			a->phnum = (size_t)aux[1];
		else if (aux[0] == AT_RANDOM)
			a->random = (const unsigned char *)aux[1];
	}
}

__attribute__((no_stack_protector))
static const Elf64_Phdr *tls_segment(const struct rt_aux *a)
{
	size_t i;

	for (i = 0; a->phdr != NULL && i < a->phnum; i++)
		if (a->phdr[i].p_type == PT_TLS)
			return &a->phdr[i];
	return NULL;
}

/*
 * The thread-local block ends where the thread pointer is, as the x86-64
 * ABI lays it out for the program's own block: the linker's offsets count
 * back from there by the segment's size rounded up to its alignment
 * (size).  The thread control block starts there, aligned to align.
 * area has room for both and for the alignment.  Returns the thread
 * pointer.
 */
__attribute__((no_stack_protector))
static struct rt_tcb *tls_place(const Elf64_Phdr *tls, unsigned char *area,
				size_t size, size_t align)
{
	uintptr_t tp = ((uintptr_t)area + size + align - 1) & ~(align - 1);
	unsigned char *block = (unsigned char *)tp - size;
	const unsigned char *image;
	size_t i;

	for (i = 0; i < size; i++)
		block[i] = 0;
	image = tls != NULL ? (const unsigned char *)tls->p_vaddr : NULL;
	for (i = 0; image != NULL && i < tls->p_filesz; i++)
		block[i] = image[i];
	return (struct rt_tcb *)tp;
}

/* No canary of its own: there is no guard until it has set one up. */
#if !defined(__has_attribute) || !__has_attribute(no_stack_protector)
#error "reader/rt: the compiler needs __attribute__((no_stack_protector))"
#endif
__attribute__((no_stack_protector))
void rt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	struct rt_aux a = { NULL, 0, NULL };
	const Elf64_Phdr *tls;
	struct rt_tcb *tcb;
	size_t size, align, i;
	long *aux, r;

	for (aux = (long *)envp; *aux != 0; aux++)
		;
	read_aux(aux + 1, &a);
	tls = tls_segment(&a);
	align = tls != NULL && tls->p_align > 1 ? tls->p_align : 1;
	size = tls != NULL ? (tls->p_memsz + align - 1) & ~(align - 1) : 0;
	if (align < 16)
		align = 16;	/* for the control block */
	{
		unsigned char area[size + align + sizeof(struct rt_tcb)];

		tcb = tls_place(tls, area, size, align);
		tcb->self = tcb;
		/* The first byte stays 0, as in the C libraries: a string
		 * overrun then cannot copy the guard, nor a string read show
		 * it. */
		tcb->guard = 0;
		for (i = 1; a.random != NULL && i < sizeof(tcb->guard); i++)
			tcb->guard |= (uintptr_t)a.random[i] << (8 * i);
		__asm__ volatile("syscall" : "=a"(r)
				 : "a"(SYS_ARCH_PRCTL), "D"(ARCH_SET_FS),
				   "S"(tcb)
				 : "rcx", "r11", "memory");
		if (r != 0)
			_exit(127);
		_exit(main(argc, argv, envp));
	}
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
 * return address.  shm-reader reads by pread(2), but arms the guard when a
 * writer starves it and it maps the segment for one snapshot (latch.c).
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
