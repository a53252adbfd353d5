package cli

import "github.com/spf13/cobra"

func newInit(o *options) *cobra.Command { return &cobra.Command{Use: "init", Hidden: true} }

func newCDKCommands(o *options) []*cobra.Command { return nil }
