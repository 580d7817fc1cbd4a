// Command teamctl keeps a Callaro workspace's team in git: it validates a
// team file, plans the changes that make the live workspace match it, and
// applies them.
package main

import "os"

func main() { os.Exit(run()) }
