"""The files dir: the one directory where the control plane's image import reads and disk
export writes (``--files-dir``, default ``<data-dir>/files``).

A caller names a file by its path relative to the files dir (an absolute path is taken
only when it leads into it). Nothing outside is ever opened or written:

- the path is checked as text first: a string, no NUL, no ``..``, at most ``MAX_PATH``
  bytes and ``MAX_NAME`` a component;
- then walked one component at a time from a descriptor of the files dir, each directory
  opened with O_NOFOLLOW: a symbolic link anywhere in the path is refused, and a directory
  renamed or swapped for a link half-way cannot redirect the walk;
- import opens the file itself with O_NOFOLLOW and reads only a regular file, through the
  descriptor it checked;
- export writes a temporary file in the files dir and then links it to its name (never
  replacing what is there: a link planted at the destination is not followed) or, with
  ``overwrite``, renames it over the name (which replaces a link, never writes through it).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

MAX_PATH = 4096   # bytes of a path (PATH_MAX)
MAX_NAME = 255    # bytes of one component (NAME_MAX)
EXPORT_PREFIX = ".ecsemu-export-"  # temporary files of an export under way, in the files dir's top level
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class PathRefused(Exception):
    """A path the files dir does not allow, or that names no usable file there."""


class DestinationExists(PathRefused):
    """Export would replace an existing file, and the caller did not say to."""


def relative_parts(files_dir: Path, path: object) -> tuple[str, ...]:
    """The components of ``path`` under ``files_dir``, checked as text (no file system
    access except to see whether an absolute path leads into the files dir)."""
    if not isinstance(path, str):
        raise PathRefused('"Path" must be a string: a path relative to the files dir.')
    if not path:
        raise PathRefused('"Path" is empty: give a path relative to the files dir.')
    if "\0" in path:
        raise PathRefused('"Path" contains a NUL character.')
    try:
        encoded = os.fsencode(path)
    except UnicodeError:
        raise PathRefused('"Path" is not valid text.') from None
    if len(encoded) > MAX_PATH:
        raise PathRefused(f'"Path" is longer than {MAX_PATH} bytes.')
    pure = PurePosixPath(path)
    if ".." in pure.parts:
        raise PathRefused(f'"Path" may not contain "..": {path} must stay inside the files dir.')
    parts = _under(files_dir, pure) if pure.is_absolute() else pure.parts
    if not parts:
        raise PathRefused(f"{path} is the files dir itself: name a file in it.")
    for part in parts:
        if len(os.fsencode(part)) > MAX_NAME:
            raise PathRefused(f'A component of "Path" is longer than {MAX_NAME} bytes.')
    return tuple(parts)


def _under(files_dir: Path, path: PurePosixPath) -> tuple[str, ...]:
    """The rest of an absolute path after the prefix that is the files dir (as written, or
    once its symbolic links are resolved, e.g. /tmp for /private/tmp). The shortest such
    prefix: what follows it is walked without following links."""
    try:
        return path.relative_to(files_dir).parts
    except ValueError:
        pass
    parts = path.parts
    for end in range(1, len(parts) + 1):
        if os.path.realpath(PurePosixPath(*parts[:end])) == str(files_dir):
            return parts[end:]
    raise PathRefused(f"{path} is outside the files dir {files_dir}: import reads and export writes only there "
                      "(give a path relative to it).")


@contextmanager
def _directory_of(files_dir: Path, parts: tuple[str, ...]) -> Iterator[int]:
    """A descriptor of the directory holding ``parts[-1]``, reached one component at a
    time with O_NOFOLLOW."""
    fd = os.open(files_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for index, name in enumerate(parts[:-1]):
            shown = "/".join(parts[:index + 1])
            try:
                inner = os.open(name, DIRECTORY_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                raise PathRefused(f"There is no directory {shown} in the files dir.") from None
            except OSError as exc:
                if _is_link(name, fd):
                    raise PathRefused(f"{shown} is a symbolic link: paths in the files dir may not "
                                      "go through links.") from None
                raise PathRefused(f"{shown} is not a usable directory: {exc.strerror}.") from None
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def _is_link(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def open_for_import(files_dir: Path, path: object) -> tuple[int, str]:
    """(read-only descriptor, file name) of the regular file ``path`` names in the files
    dir; the caller closes the descriptor."""
    parts = relative_parts(files_dir, path)
    shown = "/".join(parts)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    with _directory_of(files_dir, parts) as directory:
        try:
            fd = os.open(parts[-1], flags, dir_fd=directory)
        except FileNotFoundError:
            raise PathRefused(f"There is no file {shown} in the files dir {files_dir}.") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP or _is_link(parts[-1], directory):
                raise PathRefused(f"{shown} is a symbolic link: the files dir takes regular files only.") from None
            raise PathRefused(f"{shown} cannot be read: {exc.strerror}.") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise PathRefused(f"{shown} is not a regular file.")
    return fd, parts[-1]


def export_to(files_dir: Path, path: object, overwrite: bool, produce: Callable[[Path], None]) -> str:
    """Has ``produce(temporary)`` write a whole file, then gives it the name ``path`` in the
    files dir; returns that path relative to the files dir. Refuses (DestinationExists) to
    replace anything unless ``overwrite``; a failure leaves no file behind."""
    parts = relative_parts(files_dir, path)
    shown = "/".join(parts)
    name = parts[-1]
    with _directory_of(files_dir, parts) as directory:
        if not overwrite and _exists(name, directory):
            raise DestinationExists(f"{shown} already exists in the files dir: remove it, or say "
                                    '"Overwrite": true.')
        root = os.open(files_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        temporary = f"{EXPORT_PREFIX}{secrets.token_hex(8)}.tmp"
        try:
            produce(files_dir / temporary)
            _fsync_file(temporary, root)
            try:
                if overwrite:  # replaces a file or a link at the name; never writes through a link
                    os.rename(temporary, name, src_dir_fd=root, dst_dir_fd=directory)
                else:  # fails if anything (even a dangling link) took the name meanwhile
                    os.link(temporary, name, src_dir_fd=root, dst_dir_fd=directory, follow_symlinks=False)
            except FileExistsError:
                raise DestinationExists(f"{shown} already exists in the files dir: remove it, or say "
                                        '"Overwrite": true.') from None
            except IsADirectoryError:
                raise PathRefused(f"{shown} is a directory.") from None
            except OSError as exc:
                if exc.errno == errno.EXDEV:
                    raise PathRefused(f"{shown} is on another file system than the files dir.") from None
                raise
            os.fsync(directory)
        finally:
            try:
                os.unlink(temporary, dir_fd=root)
            except FileNotFoundError:
                pass
            os.close(root)
    return shown


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _fsync_file(name: str, dir_fd: int) -> None:
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_exports(files_dir: Path) -> list[Path]:
    """Removes the temporary files of exports a killed process left in the files dir's top
    level; returns them."""
    if not files_dir.is_dir():
        return []
    removed = [path for path in files_dir.iterdir()
               if path.name.startswith(EXPORT_PREFIX) and path.name.endswith(".tmp") and not path.is_dir()]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
