using GridGov.Realtime.LoadGen;

// Open stdout/stderr now: opened lazily, they would fail once idle connections have used every file descriptor.
_ = Console.Out;
_ = Console.Error;

Options options;
try
{
    options = Options.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(Options.Help);
    return 0;
}
catch (OptionException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}

try
{
    return await new Runner(options).RunAsync().ConfigureAwait(false);
}
catch (OptionException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}
