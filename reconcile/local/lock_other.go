//go:build !unix

package local

import (
	"errors"
	"io/fs"
	"os"
)

// On systems without flock the lock file only records the holder: two
// applies at once are not kept apart.
func tryLock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }

// openNoFollow opens path read-write, creating it 0600, refusing a
// symbolic link (checked just before: there is no O_NOFOLLOW here).
func openNoFollow(path string) (*os.File, error) {
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errSymlink}
	}
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

var errSymlink = errors.New("is a symbolic link")

// links is the number of hard links to the file, which only unix tells.
func links(fs.FileInfo) uint64 { return 1 }
