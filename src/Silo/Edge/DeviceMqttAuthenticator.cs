using GridGov.Realtime.Edge.Security;
using GridGov.Realtime.Grains.Directory;
using GridGov.Realtime.Silo.Devices;

namespace GridGov.Realtime.Silo.Edge;

/// <summary>
/// The host's MQTT CONNECT check: a user name that is a registered device id is checked against that device's secret
/// (revoked: 0x87 / 3.1.1 code 5, wrong secret: 0x86 / code 4) and gets the terminal or sensor ACL of its own id with
/// the warnings of its region and the regions above it; any other user name falls back to the user accounts.
/// A device id therefore shadows a user account of the same name for MQTT (not for HTTP).
/// </summary>
internal sealed class DeviceMqttAuthenticator(DeviceCredentialCache devices, IRegionDirectory regions, UserAccountMqttAuthenticator users) : IMqttAuthenticator
{
    public async ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationContext context, CancellationToken cancellationToken)
    {
        var (device, matches) = await devices.VerifyAsync(context.UserName, context.Password, cancellationToken);
        if (device is null) return await users.AuthenticateAsync(context, cancellationToken);
        if (device.Revoked) return MqttAuthenticationResult.NotAuthorized;
        if (!matches) return MqttAuthenticationResult.BadCredentials;
        var warningRegions = UserAccountMqttAuthenticator.SelfAndAncestors(regions.Scheme, device.RegionCode);
        return MqttAuthenticationResult.Success(device.Kind == DeviceKind.Terminal
            ? MqttAccessRules.Terminal(device.DeviceId, warningRegions)
            : MqttAccessRules.Sensor(device.DeviceId, warningRegions));
    }
}
