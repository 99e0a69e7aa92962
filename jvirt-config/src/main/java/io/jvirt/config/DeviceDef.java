package io.jvirt.config;

/**
 * One child of {@code <devices>}, kept in document order. Each kind is a record; devices jvirt does not model
 * are {@link UnknownDevice}s written back unchanged.
 */
public sealed interface DeviceDef
        permits DiskDef,
                ControllerDef,
                UsbControllerDef,
                CharDeviceDef,
                GraphicsDef,
                VideoDef,
                MemballoonDef,
                InterfaceDef,
                UnknownDevice {
    /** Alias and address. */
    DeviceInfo info();

    /** The device's unknown attributes and children, written back with it. */
    UnknownXml unknown();

    /** This device with another alias/address (the driver assigns aliases when it starts a guest). */
    DeviceDef withInfo(DeviceInfo info);

    /** The alias, or null. */
    default String alias() {
        return info().alias();
    }
}
