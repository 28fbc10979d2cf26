#!/usr/bin/python3
"""A read-only FUSE filesystem whose statfs blocks while a flag file exists.

It reproduces a dead NFS hard mount: statvfs(2) on the mount point sits in the kernel (state D,
request_wait_answer) until the flag is removed, and no signal frees the caller. Used by the agent's
hung-mount tests; run it with the Debian interpreter (/usr/bin/python3) and python3-fusepy.

    hangfs.py MOUNTPOINT FLAGFILE        (foreground; exits when unmounted with fusermount3 -u)

Tests must delete FLAGFILE before unmounting, or the blocked caller can never return.
"""
import errno
import os
import stat
import sys
import time

from fusepy import FUSE, FuseOSError, Operations


class HangFs(Operations):
    def __init__(self, flag):
        self.flag = flag
        self.started = time.time()

    def getattr(self, path, fh=None):
        if path != "/":
            raise FuseOSError(errno.ENOENT)
        return dict(st_mode=stat.S_IFDIR | 0o755, st_nlink=2, st_uid=0, st_gid=0,
                    st_ctime=self.started, st_mtime=self.started, st_atime=self.started)

    def readdir(self, path, fh):
        return [".", ".."]

    def statfs(self, path):
        while os.path.exists(self.flag):
            time.sleep(0.05)
        return dict(f_bsize=4096, f_frsize=4096, f_blocks=1000, f_bfree=250, f_bavail=200,
                    f_files=100, f_ffree=50, f_favail=50, f_namemax=255)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: hangfs.py MOUNTPOINT FLAGFILE\n")
        sys.exit(2)
    mountpoint, flag = sys.argv[1], sys.argv[2]
    FUSE(HangFs(flag), mountpoint, foreground=True, ro=True, nothreads=False, fsname="hangfs")


if __name__ == "__main__":
    main()
