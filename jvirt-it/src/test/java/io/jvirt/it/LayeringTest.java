package io.jvirt.it;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package layering of jvirt's main code (every module is on this module's test class path; test classes are
 * left out): which packages may not import which, and no package cycles within a module. A unit test, so
 * {@code ./mvnw verify -DskipITs} runs it.
 */
@AnalyzeClasses(packages = "io.jvirt", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /** The public API (types, errors) stands alone. */
    @ArchTest
    static final ArchRule API_IMPORTS_NO_OTHER_JVIRT_PACKAGE = noClasses()
            .that()
            .resideInAPackage("io.jvirt.api..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.jvirt..").and(not(resideInAPackage("io.jvirt.api.."))));

    /** The driver talks to QEMU through io.jvirt.qmp's typed monitor, never its wire or JSON. */
    @ArchTest
    static final ArchRule DRIVER_KEEPS_OFF_QMP_WIRE_AND_JACKSON = noClasses()
            .that()
            .resideInAPackage("io.jvirt.driver..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.jvirt.qmp.wire..", "com.fasterxml..");

    /** Migration sits below the driver's root package (which uses it), not beside it. */
    @ArchTest
    static final ArchRule MIGRATION_DOES_NOT_IMPORT_THE_DRIVER_ROOT = noClasses()
            .that()
            .resideInAPackage("io.jvirt.driver.migration..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.jvirt.driver");

    /** The protocol layer knows nothing of the driver behind it. */
    @ArchTest
    static final ArchRule RPC_DOES_NOT_IMPORT_THE_DRIVER = noClasses()
            .that()
            .resideInAPackage("io.jvirt.rpc..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.jvirt.driver..");

    /** The daemon is started by the CLI, not the other way round. */
    @ArchTest
    static final ArchRule DAEMON_DOES_NOT_IMPORT_THE_CLI = noClasses()
            .that()
            .resideInAPackage("io.jvirt.daemon..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.jvirt.cli..");

    /** No cycles between the packages of a module (module dependencies themselves are acyclic, Maven sees to it). */
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES_WITHIN_A_MODULE =
            slices().assignedFrom(new PackageInModule()).should().beFreeOfCycles();

    /** A slice per (module, package); the module is read off where the class was loaded from. */
    private static final class PackageInModule implements SliceAssignment {
        private static final Pattern MODULE = Pattern.compile("/(jvirt-[a-z]+)(?:/target/|-\\d)");

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            if (!c.getPackageName().startsWith("io.jvirt")) {
                return SliceIdentifier.ignore();
            }
            String module = c.getSource()
                    .map(source -> MODULE.matcher(source.getUri().toString()))
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .orElse("?");
            return SliceIdentifier.of(module, c.getPackageName());
        }

        @Override
        public String getDescription() {
            return "packages within each module";
        }
    }
}
