using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("GridGov.Realtime.Dashboard.Tests")]
