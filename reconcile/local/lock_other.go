//go:build !unix

package local

import "os"

// On systems without flock the lock file only records the holder: two
// applies at once are not kept apart.
func tryLock(*os.File) error { return nil }

func unlock(*os.File) error { return nil }
