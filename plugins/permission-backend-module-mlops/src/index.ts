/**
 * The MLStack permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModuleMlopsPolicy as default } from './module';
export {
  MlopsPermissionPolicy,
  isMlopsPermission,
  readMlopsPolicySettings,
} from './MlopsPermissionPolicy';
export type { MlopsPolicySettings } from './MlopsPermissionPolicy';
