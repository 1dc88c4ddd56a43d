//go:build !unix

package main

import "os"

// keepOwner does nothing where files have no Unix owner and group.
func keepOwner(*os.File, os.FileInfo) {}

// keepOwnerOf does nothing where files have no Unix owner and group.
func keepOwnerOf(string, os.FileInfo) {}

// ownLike does nothing where files have no Unix owner and group.
func ownLike(string, string) {}
