using System.CommandLine;
using Zeze.Tool;

// The zeze command. `zeze gcm` runs a Global Cache Manager; `zeze gcm status` asks one for its status;
// `zeze gcm bench` measures an embedded one with agents on loopback.
var root = new RootCommand("Zeze for .NET tools.");
root.Subcommands.Add(GcmCommand.Create());
return await root.Parse(args).InvokeAsync();
