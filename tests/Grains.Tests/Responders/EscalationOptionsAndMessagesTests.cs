using System.Text.Json;
using GridGov.Realtime.Actors.Hosting;
using GridGov.Realtime.Grains.Categories;
using GridGov.Realtime.Grains.Responders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GridGov.Realtime.Grains.Tests.Responders;

public sealed class EscalationOptionsAndMessagesTests
{
    [Fact]
    public void SettingsBindFromTheEscalationsSectionAndTheAlertTypesListIsReplacedNotAppended()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Escalations:AckTimeout"] = "00:05:00",
            ["Escalations:AlertTypes:0"] = "immobile",
            ["Escalations:MinCaseUrgency"] = "Important",
        }).Build();
        var services = new ServiceCollection();
        services.AddActorRuntime().AddResponders(configuration);
        using var provider = services.BuildServiceProvider();
        var o = provider.GetRequiredService<IOptions<EscalationOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(5), o.AckTimeout);
        Assert.Equal(["immobile"], o.AlertTypes!);
        Assert.True(o.EscalatesAlert("immobile"));
        Assert.False(o.EscalatesAlert(EscalationOptions.DefaultAlertType));
        Assert.True(new EscalationOptions().EscalatesAlert(EscalationOptions.DefaultAlertType));
        Assert.False(new EscalationOptions { EscalateAlerts = false }.EscalatesAlert(EscalationOptions.DefaultAlertType));
        Assert.Equal(Urgency.Important, o.MinCaseUrgency);
        Assert.True(new EscalationOptionsValidator().Validate(null, new EscalationOptions()).Succeeded);
    }

    [Theory]
    [InlineData("AckTimeout")]
    [InlineData("AlertTypes")]
    [InlineData("MaxRosterSize")]
    [InlineData("MaxClosedListed")]
    public async Task ABadSettingStopsTheStartNamingIt(string setting)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EscalationFixture.StartAsync(configure: o =>
        {
            switch (setting)
            {
                case "AckTimeout": o.AckTimeout = TimeSpan.Zero; break;
                case "AlertTypes": o.AlertTypes = [" "]; break;
                case "MaxRosterSize": o.MaxRosterSize = 0; break;
                default: o.MaxClosedListed = -1; break;
            }
        }));
        Assert.Contains($"Escalations:{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesAndStateRoundTripThroughTheJsonContext()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var subject = new EscalationSubject(EscalationKinds.Case, "C-1", "0101", "井盖破损", "310104001", "Urgent", 31.2, 121.4, at);
        var attempt = new EscalationAttempt("r1", "310104", at, at.AddMinutes(2), AttemptOutcome.TimedOut, at.AddMinutes(2));
        var state = new EscalationState { Subject = subject, Status = EscalationStatus.Unanswered, OpenedAt = at, UpdatedAt = at, RosterRegion = "310104", Attempts = [attempt] };
        var ctx = RespondersJsonContext.Default;

        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(state, ctx.EscalationState), ctx.EscalationState)!;
        Assert.Equal((subject, EscalationStatus.Unanswered, "310104"), (back.Subject, back.Status, back.RosterRegion));
        Assert.Equal([attempt], back.Attempts);
        var ack = new AcknowledgeEscalation(new EscalationActor("r1", EscalationAuthority.Responder, null), "mqtt", "on my way");
        Assert.Equal(ack, JsonSerializer.Deserialize(JsonSerializer.Serialize(ack, ctx.AcknowledgeEscalation), ctx.AcknowledgeEscalation));
        var entry = new EscalationIndexEntry("case:C-1", "310104001", true, at);
        Assert.Equal(entry, JsonSerializer.Deserialize(JsonSerializer.Serialize(entry, ctx.EscalationIndexEntry), ctx.EscalationIndexEntry));
        Assert.Contains("\"status\":\"Unanswered\"", JsonSerializer.Serialize(state, ctx.EscalationState), StringComparison.Ordinal);
    }
}
