#!/usr/bin/env python3
# pack.py DEST PATH...: copy each PATH (a file, or a directory and all under
# it) into DEST at its canonical absolute path (symlinks in its parents
# resolved), with the shared-library closure of every dynamic ELF file among
# them (ldd). DEST becomes the top layer of an overlay over the host's / in
# L1 (tests/nested/run), so directories are created with the host's modes and
# owners, and no symlinked directory of the host (/lib -> usr/lib) is ever
# shadowed by a real one. Prints the number of files and bytes packed.
import os
import shutil
import stat
import subprocess
import sys

dest = sys.argv[1]
files = bytes_ = 0
done = set()


def mkparents(d):
    """Create DEST/d and its ancestors with the host's modes and owners."""
    if d == "/" or os.path.isdir(dest + d):
        return
    mkparents(os.path.dirname(d))
    st = os.stat(d)
    os.mkdir(dest + d)
    os.chmod(dest + d, stat.S_IMODE(st.st_mode))
    os.chown(dest + d, st.st_uid, st.st_gid)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def libs(path):
    """The libraries a dynamic ELF file loads (ldd), as absolute paths."""
    r = subprocess.run(["ldd", path], capture_output=True, text=True)
    if r.returncode != 0:
        return []		# static, or not a program: nothing to add
    out = []
    for line in r.stdout.splitlines():
        parts = line.split()
        if "=>" in parts:
            i = parts.index("=>")
            if i + 1 < len(parts) and parts[i + 1].startswith("/"):
                out.append(parts[i + 1])
        elif parts and parts[0].startswith("/"):
            out.append(parts[0])	# the dynamic loader
    return out


def pack_file(path):
    """Pack one file (a symlink is packed as its final target)."""
    global files, bytes_
    real = os.path.realpath(path)
    if real in done:
        return
    done.add(real)
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        return
    mkparents(os.path.dirname(real))
    shutil.copy2(real, dest + real)
    os.chown(dest + real, st.st_uid, st.st_gid)
    files += 1
    bytes_ += st.st_size
    if st.st_mode & 0o111 and is_elf(real) or ".so" in os.path.basename(real) and is_elf(real):
        for lib in libs(real):
            pack_file(lib)


def pack(path):
    if not os.path.exists(path):
        sys.exit(f"pack.py: {path}: no such file or directory")
    real = os.path.realpath(path)
    if not os.path.isdir(real):
        pack_file(real)
        return
    mkparents(real)

    def copy_link(root, p):
        mkparents(root)
        if not os.path.lexists(dest + p):
            os.symlink(os.readlink(p), dest + p)

    for root, dirs, names in os.walk(real):
        for d in dirs:
            p = os.path.join(root, d)
            copy_link(root, p) if os.path.islink(p) else mkparents(p)
        for n in names:
            p = os.path.join(root, n)
            copy_link(root, p) if os.path.islink(p) else pack_file(p)


for p in sys.argv[2:]:
    pack(os.path.abspath(p))
print(f"{files} files, {bytes_ / 1048576:.1f} MiB")
