"""Every error the emulator can answer, each declared once: code, HTTP status, message.

The real service sometimes uses one code with different messages in different actions
(``InvalidDiskId.NotFound`` says "DiskId" in one table and "disk" in another), so an entry
is a (code, status, message) triple with a Python name of its own; the code alone is not
a key. Messages may hold ``{placeholders}`` that the raiser fills in.

``ALL`` lists every declared entry, for the error center and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    message: str

    def __call__(self, **fields: str) -> EcsError:
        """The exception to raise, with the message's placeholders filled in."""
        return EcsError(self, self.message.format(**fields) if fields else self.message)


class EcsError(Exception):
    """An answer the real ECS would give as an error body."""

    def __init__(self, error: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def status(self) -> int:
        return self.error.status


# --- gateway: protocol, parameters ----------------------------------------------------
MISSING_PARAMETER = ErrorCode(
    "MissingParameter", 400,
    'The input parameter "{name}" that is mandatory for processing this request is not supplied.')
INVALID_PARAMETER = ErrorCode(
    "InvalidParameter", 400, 'The specified parameter "{name}" is not valid.')
INVALID_PARAMETER_FORMAT = ErrorCode(
    "InvalidParameter.Format", 400, "Specified parameter format is not valid.")
INVALID_VERSION = ErrorCode(
    "InvalidVersion", 400, "Specified parameter Version is not valid.")
INVALID_ACTION_NOT_FOUND = ErrorCode(
    "InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method.")
UNSUPPORTED_HTTP_METHOD = ErrorCode(
    "UnsupportedHTTPMethod", 403, "This HTTP method is not supported.")
# The emulator's own: a browser says the call comes from a page of another origin, which
# could otherwise sign with the well-known development key (docs/security.md).
CROSS_SITE_CALL = ErrorCode(
    "Forbidden.CrossSite", 403, "{reason} cannot call the emulator: web pages may not use it.")
# Input past the gateway's limits (wire/limits.py). The real limits and messages are not
# published: the codes are the gateway's, the messages say which limit.
REQUEST_TOO_LARGE = ErrorCode(
    "RequestEntityTooLarge", 413, "The request is larger than the {limit} bytes accepted.")
REQUEST_TIMEOUT = ErrorCode(
    "RequestTimeout", 408, "The request body did not arrive within {seconds} seconds.")
TOO_MANY_PARAMETERS = ErrorCode(
    "InvalidParameter", 400, "The request has more than the {limit} parameters accepted.")

# --- gateway: authentication ----------------------------------------------------------
# "InvalidParamater" is the real (misspelt) code.
INVALID_SIGNATURE_METHOD = ErrorCode(
    "InvalidParamater", 400, 'The specified parameter "SignatureMethod" is not valid.')
INVALID_SIGNATURE_VERSION = ErrorCode(
    "InvalidParamater", 400, 'The specified parameter "SignatureVersion" is not valid.')
INCOMPLETE_SIGNATURE = ErrorCode(
    "IncompleteSignature", 400, "The request signature does not conform to Aliyun standards.")
SIGNATURE_DOES_NOT_MATCH = ErrorCode(
    "SignatureDoesNotMatch", 400,
    "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}")
SIGNATURE_NONCE_USED = ErrorCode(
    "SignatureNonceUsed", 400, "Specified signature nonce was used already.")
TIMESTAMP_EXPIRED = ErrorCode(
    "InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.")
TIMESTAMP_FORMAT = ErrorCode(
    "InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted.")
TIMESTAMP_MISSING = ErrorCode(
    "IllegalTimestamp", 400,
    'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.')
ACCESS_KEY_NOT_FOUND = ErrorCode(
    "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.")

# --- gateway: server side ----------------------------------------------------------------
INTERNAL_ERROR = ErrorCode(
    "InternalError", 500,
    "The request processing has failed due to some unknown error, exception or failure.")
# The emulator's own machine cannot take the change (its disk is full, or it lacks a
# package the bootable image is built from): refused, nothing changed.
SERVICE_UNAVAILABLE = ErrorCode(
    "ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.")

# --- gateway: flow control (throttle.py) ------------------------------------------------
# A call past a rate limit the user set: ECS's own code for an API's rate limit (its error
# tables), and the API gateway's for a user's or an API's flow control. All 400.
THROTTLING = ErrorCode(
    "Throttling", 400,
    "You have made too many requests within a short time; your request is denied due to request throttling.")
THROTTLING_USER = ErrorCode(
    "Throttling.User", 400, "Request was denied due to user flow control.")
THROTTLING_API = ErrorCode(
    "Throttling.Api", 400, "Request was denied due to api flow control.")

# --- ClientToken idempotency (idempotency.py): the gateway's codes (spec A9), and the
# ones some actions' own tables name instead (spec B19 CreateSnapshot, B22 CreateImage,
# B33 CreateSecurityGroup).
INVALID_CLIENT_TOKEN = ErrorCode(
    "InvalidClientToken.ValueNotSupported", 400, "The ClientToken provided is invalid.")
IDEMPOTENT_PARAMETER_MISMATCH = ErrorCode(
    "IdempotentParameterMismatch", 400, "The request is retried with updated parameters.")
LAST_TOKEN_PROCESSING = ErrorCode(
    "LastTokenProcessing", 403, "The last token request is processing.")
SNAPSHOT_TOKEN_USED = ErrorCode(
    "IdempotentParameterMismatch", 403, "The specified clientToken is used.")
IDEMPOTENT_PROCESSING = ErrorCode(
    "IdempotentProcessing", 403, "The previous idempotent request(s) is still processing.")
IMAGE_TOKEN_MISMATCH = ErrorCode(
    "IdempotenceParamNotMatch", 400,
    "Request uses a client token in a previous request but is not identical to that request.")

# --- regions and zones -----------------------------------------------------------------
REGION_NOT_FOUND = ErrorCode(
    "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist.")
ACCEPT_LANGUAGE_NOT_FOUND = ErrorCode(
    "InvalidAcceptLanguage.NotFound", 404,
    "Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.")
RESOURCE_TYPE_NOT_FOUND = ErrorCode(
    "InvalidResourceType.NotFound", 404,
    "The ResourceType provided does not exist in our records.")
INSTANCE_CHARGE_TYPE_NOT_FOUND = ErrorCode(
    "InvalidInstanceChargeType.NotFound", 404,
    "The InstanceChargeType does not exist in our records")
INVALID_SPOT_STRATEGY = ErrorCode(
    "InvalidSpotStrategy", 400, "The specified SpotStrategy is not valid.")

# --- zones and instance types: DescribeAvailableResource's own spellings ----------------
AVAILABLE_DESTINATION_MISSING = ErrorCode(
    "Invalid.Param", 400,
    "The input parameter DestinationResource that is mandatory for processing this request is not supplied.")
AVAILABLE_DESTINATION_INVALID = ErrorCode(
    "Invalid.DestinationResource", 404, "The specified DestinationResource is not valid.")
AVAILABLE_RESOURCE_TYPE_INVALID = ErrorCode(
    "Invalid.ResourceType", 404, "The ResourceType provided does not exist in our records.")
AVAILABLE_IO_OPTIMIZED_INVALID = ErrorCode(
    "Invalid.IoOptimized", 404, "The specified IoOptimized is not valid.")
AVAILABLE_NETWORK_CATEGORY_INVALID = ErrorCode(
    "Invalid.NetworkCategory", 404, "The specified NetworkCategory is not valid.")
AVAILABLE_SPOT_STRATEGY_INVALID = ErrorCode(
    "Invalid.SpotStrategy", 404, "The specified SpotStrategy is not valid.")
AVAILABLE_CHARGE_TYPE_INVALID = ErrorCode(
    "Invalid.InstanceChargeType", 400, "The specified InstanceChargeType is not valid.")
AVAILABLE_SCOPE_INVALID = ErrorCode(
    "InvalidParameter.Scope", 403, "The specified parameter Scope is invalid.")
AVAILABLE_CORES_NOT_EMPTY = ErrorCode(
    "InvalidParam.Cores", 403, "The specified parameter 'Cores' should be empty.")
AVAILABLE_MEMORY_NOT_EMPTY = ErrorCode(
    "InvalidParam.Memory", 403, "The specified parameter 'Memory' should be empty.")
AVAILABLE_TYPE_AND_CPU_MEMORY = ErrorCode(
    "InvalidParam.TypeAndCpuMem.Conflict", 403,
    "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time.")
DEDICATED_HOST_NOT_FOUND = ErrorCode(
    "InvalidDedicatedHostId.NotFound", 403, "The specified DedicatedHostId does not exist.")
# DescribeImageSupportInstanceTypes: a missing image, or one not Available yet; the code
# "InvalidParamter" is spelt so by the real service.
IMAGE_SUPPORT_NOT_FOUND = ErrorCode(
    "InvalidImageId.NotFound", 404,
    "The specified image is not found, please make sure image is exist in current region or image status is "
    "available.")
IMAGE_SUPPORT_INVALID = ErrorCode("InvalidParamter", 400, "Invalid Parameter.")

DRY_RUN_OPERATION = ErrorCode(
    "DryRunOperation", 400, "Request validation has been passed with DryRun flag set.")
# A parameter of the real API that the emulator declares but does not emulate: refused, not
# ignored (the gateway's own code for it; docs/decisions.md).
UNSUPPORTED_PARAMETER = ErrorCode(
    "UnsupportedParameter", 400, 'The parameter "{name}" is unsupported: ecsemu does not emulate it.')
# Describe actions' Filter.N (B8, B15, B21: 404, message not published).
FILTER_KEY_NOT_FOUND = ErrorCode("InvalidFilterKey.NotFound", 404, 'The specified filter key "{name}" is not found.')
FILTER_VALUE_INVALID = ErrorCode("InvalidFilterValue", 404, 'The specified value of filter "{name}" is not valid.')
# Modify*Attribute with nothing to change (ModifyDiskAttribute, ModifySnapshotAttribute docs).
NO_ATTRIBUTE_TO_MODIFY = ErrorCode("NoAttributeToModify", 400, "No attribute to be modified in this request.")

# --- shared by resource families ---------------------------------------------------------
INCORRECT_INSTANCE_STATUS = ErrorCode(
    "IncorrectInstanceStatus", 403, "The current status of the resource does not support this operation.")
INCORRECT_DISK_STATUS = ErrorCode(
    "IncorrectDiskStatus", 403, "The current disk status does not support this operation.")
INSTANCE_NOT_FOUND = ErrorCode(
    "InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist.")
DISK_NOT_FOUND = ErrorCode(
    "InvalidDiskId.NotFound", 404, "The specified disk does not exist.")
DISK_ID_NOT_FOUND = ErrorCode(
    "InvalidDiskId.NotFound", 404, "The specified DiskId does not exist.")
IMAGE_NOT_FOUND = ErrorCode(
    "InvalidImageId.NotFound", 404, "The specified ImageId does not exist.")
SNAPSHOT_NOT_FOUND = ErrorCode(
    "InvalidSnapshotId.NotFound", 404, "The specified SnapshotId does not exist.")
SECURITY_GROUP_NOT_FOUND = ErrorCode(
    "InvalidSecurityGroupId.NotFound", 404, "The specified SecurityGroupId does not exist.")
VSWITCH_NOT_FOUND = ErrorCode(
    "InvalidVSwitchId.NotFound", 404, "The VSwitchId provided does not exist in our records.")
ZONE_NOT_FOUND = ErrorCode(
    "InvalidZoneId.NotFound", 404, "The specified ZoneId does not exist.")
# Start/Stop/Reboot/Modify word it one way, the disk actions another.
INSTANCE_LOCKED_FOR_SECURITY = ErrorCode(
    "InstanceLockedForSecurity", 403,
    "The specified operation is denied as your instance is locked for security reasons.")
INSTANCE_LOCKED_FOR_SECURITY_DISK = ErrorCode(
    "InstanceLockedForSecurity", 403, "The instance is locked due to security.")
INSTANCE_EXPIRED_OR_IN_ARREARS = ErrorCode(
    "InstanceExpiredOrInArrears", 403,
    "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears "
    "(afterpay mode).")
DISK_CREATING_SNAPSHOT = ErrorCode(
    "DiskCreatingSnapshot", 403,
    "The operation is denied due to a snapshot of the specified disk is not completed yet.")
INVALID_PASSWORD = ErrorCode(
    "InvalidPassword.Malformed", 400, 'The specified parameter "Password" is not valid.')
KEY_PAIR_NOT_FOUND = ErrorCode(
    "InvalidKeyPairName.NotFound", 404, "The specified KeyPairName does not exist in our records.")
KEY_PAIR_WINDOWS = ErrorCode(
    "DependencyViolation.WindowsInstance", 403,
    "The instance creating is window, cannot use ssh key pair to login.")
INVALID_INSTANCE_NAME = ErrorCode(
    "InvalidInstanceName.Malformed", 400, 'The specified parameter "InstanceName" is not valid.')
INVALID_DESCRIPTION = ErrorCode(
    "InvalidDescription.Malformed", 400, 'The specified parameter "Description" is not valid.')
INVALID_HOST_NAME = ErrorCode(
    "InvalidHostName.Malformed", 400, 'The specified parameter "HostName" is not valid.')
INVALID_DISK_NAME = ErrorCode(
    "InvalidDiskName.Malformed", 400, "The specified disk name is wrongly formed.")
INVALID_TAG_KEY = ErrorCode("InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid.")
INVALID_TAG_VALUE = ErrorCode("InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid.")
DUPLICATE_TAG_KEY = ErrorCode("Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key.")

# --- tags and resource groups (TagResources, UntagResources, ListTagResources, DescribeTags,
# JoinResourceGroup; their error tables) ----------------------------------------------------
RESOURCE_ID_NOT_FOUND = ErrorCode(
    "InvalidResourceId.NotFound", 404, "The specified ResourceIds are not found in our records.")
TOO_MANY_RESOURCE_IDS = ErrorCode(
    "NumberExceed.ResourceIds", 400, "The ResourceIds parameter's number is exceed , Valid : 50")
TOO_MANY_TAGS = ErrorCode("NumberExceed.Tags", 400, "The Tags parameter's number is exceed , Valid : 20")
MISSING_TAGS = ErrorCode("MissingParameter.Tags", 404, "The parameter - Tags should not be null")
TAG_QUOTA_EXCEEDED = ErrorCode(
    "OperationDenied.QuotaExceed", 400, "The quota of tags on resource is beyond permitted range.")
# JoinResourceGroup words these its own way, and answers a missing parameter with 403.
JOIN_MISSING_PARAMETER = ErrorCode(
    "MissingParameter", 403,
    'The input parameter "{name}" that is mandatory for processing this request is not supplied.')
JOIN_RESOURCE_NOT_FOUND = ErrorCode(
    "InvalidResourceId.NotFound", 404, "The ResourceId provided does not exist in our records.")
RESOURCE_GROUP_NOT_FOUND = ErrorCode(
    "InvalidResourceGroup.NotFound", 404, "The ResourceGroup provided does not exist in our records.")

# --- instances ---------------------------------------------------------------------------
INVALID_INSTANCE_TYPE = ErrorCode(
    "InvalidInstanceType.ValueNotSupported", 400, "The specified InstanceType beyond the permitted range.")
INVALID_SYSTEM_DISK_CATEGORY = ErrorCode(
    "InvalidSystemDiskCategory.ValueNotSupported", 400, 'The specified parameter "SystemDisk.Category" is not valid.')
SYSTEM_DISK_LESS_THAN_IMAGE = ErrorCode(
    "InvalidSystemDiskSize.LessThanImageSize", 404,
    "The specified parameter SystemDisk.Size is less than the image size.")
SYSTEM_DISK_LESS_THAN_MIN = ErrorCode(
    "InvalidSystemDiskSize.LessThanMinSize", 404, "The specified parameter SystemDisk.Size is less than the min size.")
SYSTEM_DISK_MORE_THAN_MAX = ErrorCode(
    "InvalidSystemDiskSize.MoreThanMaxSize", 404, "The specified parameter SystemDisk.Size is more than the max size.")
INVALID_DATA_DISK_CATEGORY = ErrorCode(
    "InvalidDataDiskCategory.ValueNotSupported", 400, 'The specified parameter "DataDisk.n.Category" is not valid.')
INVALID_DATA_DISK_SIZE = ErrorCode(
    "InvalidDataDiskSize.ValueNotSupported", 400,
    "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot exceeds the size "
    "limit of the specified disk category.")
DATA_DISK_SNAPSHOT_NOT_FOUND = ErrorCode(
    "InvalidDataDiskSnapshotId.NotFound", 404, 'The specified parameter "DataDisk.n.SnapshotId" is not valid.')
SNAPSHOT_ID_NOT_READY = ErrorCode(
    "InvalidSnapshotId.NotReady", 403, "The specified snapshot has not completed yet.")
INSTANCE_DISK_NUM_LIMIT = ErrorCode(
    "InstanceDiskNumLimitExceed", 403, "The number of specified disk in an instance exceeds.")
PASSWORD_INHERIT_MISMATCH = ErrorCode(
    "InvalidPasswordParam.Mismatch", 400, "The input password should be null when passwdInherit is true.")
NETWORK_MISMATCH = ErrorCode(
    "InvalidParameter.Mismatch", 400, "Specified security group and virtual switch are not in the same VPC.")
VSWITCH_ZONE_MISMATCH = ErrorCode(
    "InvalidParameter.Mismatch", 400, "Specified virtual switch is not in the specified zone.")
INVALID_AMOUNT = ErrorCode("InvalidParameter", 400, "The specified parameter Amount is not valid.")
INVALID_MIN_AMOUNT = ErrorCode("InvalidMinAmount.Malformed", 400, "The specified parameter MinAmount is not valid.")
CHARGE_TYPE_VIOLATION = ErrorCode(
    "ChargeTypeViolation", 403, "The operation is not permitted due to charge type of the instance.")
DELETION_PROTECTION = ErrorCode(
    "InvalidOperation.DeletionProtection", 403,
    "The specified instance is protected by deletion protection, please disable it first.")
DISK_ERROR = ErrorCode("DiskError", 403, "IncorrectDiskStatus.")
INVALID_USER_DATA_SIZE = ErrorCode(
    "InvalidUserData.SizeExceeded", 400, 'The specified parameter "UserData" exceeds the size.')
STATUS_FILTER_NOT_FOUND = ErrorCode("InvalidStatus.NotFound", 404, "The specified Status is not found")
INTERNET_CHARGE_TYPE_FILTER = ErrorCode(
    "InvalidInternetChargeType.ValueNotSupported", 404, "The specified InternetChargeType is not valid")
NETWORK_TYPE_FILTER = ErrorCode("InvalidNetworkType.NotFound", 404, "The specified InstanceNetworkType is not found")
LOCK_REASON_NOT_FOUND = ErrorCode("InvalidLockReason.NotFound", 404, "The specified LockReason is not found")
INVALID_INSTANCE_PASSWORD = ErrorCode(
    "InvalidHostPassword.Malformed", 400, 'The specified parameter "Password" is not valid.')

# --- disks -------------------------------------------------------------------------------
INVALID_DISK_CATEGORY = ErrorCode(
    "InvalidDiskCategory.ValueNotSupported", 400, 'The specified parameter "DiskCategory" is not valid.')
INVALID_DISK_SIZE = ErrorCode("InvalidDiskSize.NotSupported", 400, "The specified disk size is not supported.")
SIZE_OR_SNAPSHOT_MISSING = ErrorCode(
    "MissingParameter", 400, 'The input parameter either "SnapshotId" or "Size" should be specified.')
DISK_SMALLER_THAN_SNAPSHOT = ErrorCode(
    "InvalidDiskSize.TooSmall", 403, "Specified disk size is less than the size of snapshot.")
SNAPSHOT_CREATION_NOT_READY = ErrorCode(
    "InvalidSnapshot.NotReady", 403, "The specified snapshot creation is not completed yet.")
SNAPSHOT_TOO_OLD_FOR_DISK = ErrorCode(
    "InvalidSnapshot.TooOld", 403,
    "This operation is forbidden because the specified snapshot is created before 2013-07-15.")
INVALID_PAY_METHOD = ErrorCode("InvalidPayMethod", 403, "The specified pay method is not valid.")
INVALID_PERFORMANCE_LEVEL = ErrorCode(
    "InvalidPerformanceLevel.Malformed", 400, "The specified parameter PerformanceLevel is not valid.")
NOT_IN_SAME_ZONE = ErrorCode(
    "ResourcesNotInSameZone", 403, "The specified instance and disk are not in the same zone.")
INSTANCE_DISK_LIMIT = ErrorCode(
    "InstanceDiskLimitExceeded", 403, "The amount of the disk on instance in question reach its limits.")
DISK_NOT_PORTABLE = ErrorCode("DiskNotPortable", 403, "The specified disk is not a portable disk.")
DISK_NOT_ATTACHED_HERE = ErrorCode(
    "DependencyViolation", 403, "The specified disk has not been attached on the specified instance.")
DISK_ALREADY_DETACHED = ErrorCode("InvalidDisk.AlreadyDetached", 404, "The specified disk has been detached.")
INSTANCE_HAS_SYSTEM_DISK = ErrorCode("InvalidDevice.InUse", 403, "The specified device has been occupied.")
NEW_SIZE_NOT_LARGER = ErrorCode(
    "InvalidDiskSize", 403, "Specified new disk size is less than or equal the original disk size.")
NEW_SIZE_TOO_LARGE = ErrorCode(
    "InvalidDiskSize.TooLarge", 403, "Specified new disk size is beyond the permitted range.")
INVALID_RESIZE_TYPE = ErrorCode("InvalidParam.Type", 400, "The specified type is not supported.")
DISK_TYPE_FILTER = ErrorCode("InvalidDiskType.ValueNotSupported", 400, "The specified disk type is not supported.")
CATEGORY_FILTER = ErrorCode("InvalidCategory.ValueNotSupported", 400, "The specified disk category is not supported.")
DISK_STATUS_FILTER = ErrorCode("InvalidStatus.ValueNotSupported", 400, "The specified disk status is not supported.")
DISK_CHARGE_TYPE_FILTER = ErrorCode("InvalidDiskChargeType.NotFound", 404, "The DiskChargeType does not exist.")
DISK_ZONE_FILTER = ErrorCode("InvalidZoneId.NotFound", 400, "The zoneId provided does not exist in our records.")
MULTI_ATTACH_FILTER = ErrorCode("InvalidParameter.MultiAttach", 403, "The specified param MultiAttach is not valid.")
# ModifyDiskAttribute (its doc's table; the DiskId/DiskIds.N conflict and BurstingEnabled on a
# category without bursting have no published code: docs/decisions.md).
DISK_ID_MISSING = ErrorCode("IncompleteParamter", 400, "Some fields can not be null in this request.")
DISK_ID_CONFLICT = ErrorCode(
    "InvalidParameter", 400, 'The specified parameters "DiskId" and "DiskIds.N" cannot be used together.')
BURSTING_NOT_SUPPORTED = ErrorCode(
    "InvalidParameter.BurstingEnabled", 400,
    "The specified disk category does not support the parameter BurstingEnabled.")
RESIZE_ONLINE_NEEDS_RUNNING = ErrorCode(
    "InvalidInstanceStatus.NotRunning", 403,
    "The status of instance to which the disk attachs must be running when resizing online.")
RESIZE_ONLINE_DISK_STATUS = ErrorCode(
    "IncorrectDiskStatus", 403, "The current status of the resource does not support resize online")
RESIZE_ONLINE_CATEGORY = ErrorCode(
    "InvalidDiskCategory.NotSupported", 403, "The specified disk category does not support resize online.")

# --- disk specs, billing and monitoring (ModifyDiskSpec, ModifyDiskChargeType,
# DescribeDiskMonitorData: their docs' tables; docs/decisions.md for the unpublished) -------
SPEC_OPERATION_DENIED = ErrorCode("OperationDenied", 403, "The type of the disk does not support the operation.")
SPEC_CATEGORY_NOT_SUPPORTED = ErrorCode(
    "InvalidDiskCategory.NotSupported", 403, "The specified disk category is not supported.")
SPEC_LEVEL_SIZE_MISMATCH = ErrorCode(
    "OperationDenied.PerformanceLevelNotMatch", 403, "The specified PerformanceLevel and disk size do not match.")
SPEC_UNCHANGED = ErrorCode(
    "NoChangeInDiskCategoryAndPerformanceLevel", 400,
    "The specified disk category and performance level are the disk's own.")
DISK_BILLING_POSTPAID_INSTANCE = ErrorCode(
    "ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the instance.")
DISK_BILLING_INSTANCE_STATUS = ErrorCode(
    "InvalidInstanceStatus.NotSupported", 404, "The status of the specified instance is invalid.")
DISK_BILLING_DISKS_NOT_FOUND = ErrorCode(
    "InvalidDiskIds.NotFound", 404, "Some of the specified data disks do not exist.")
DISK_BILLING_TOO_SOON = ErrorCode(
    "LastOrderProcessing", 400, "The previous order is still processing, please try again later.")
MONITOR_START_MALFORMED = ErrorCode(
    "InvalidStartTime.Malformed", 400, 'The specified parameter "StartTime" is not valid.')
MONITOR_END_MALFORMED = ErrorCode("InvalidEndTime.Malformed", 400, 'The specified parameter "EndTime" is not valid.')
MONITOR_PERIOD = ErrorCode("InvalidPeriod.ValueNotSupported", 400, 'The specified parameter "Period" is not valid.')
MONITOR_START_TOO_EARLY = ErrorCode(
    "InvalidStartTime.TooEarly", 400, 'The specified parameter "StartTime" is too early.')
MONITOR_END_BEFORE_START = ErrorCode(
    "InvalidParameter.EndTime", 400, "The specified parameter EndTime is earlier than StartTime.")
MONITOR_TOO_MANY_POINTS = ErrorCode("InvalidParameter.TooManyDataQueried", 400, "Too many data queried.")


# --- security groups -----------------------------------------------------------------------
VPC_NOT_FOUND = ErrorCode("InvalidVpcId.NotFound", 404, "The specified VpcId does not exist.")
INVALID_SECURITY_GROUP_NAME = ErrorCode(
    "InvalidSecurityGroupName.Malformed", 400, "The specified parameter SecurityGroupName is not valid.")
INVALID_SECURITY_GROUP_DESCRIPTION = ErrorCode(
    "InvalidSecurityGroupDiscription.Malformed", 400, "The specified parameter SecurityGroupDescription is not valid.")
SECURITY_GROUP_IN_USE = ErrorCode(
    "DependencyViolation", 403, "There is still instance(s) in the specified security group.")
SECURITY_GROUP_REFERENCED = ErrorCode(
    "DependencyViolation", 403, "The specified security group has been authorized in another one.")

# --- security group rules (AuthorizeSecurityGroup[Egress], Revoke…, Modify…Rule) -------------
# Several codes answer two things in the real tables (InvalidIpProtocol.Malformed names
# PortRange); the messages are the documented ones.
RULE_PROTOCOL_NOT_SUPPORTED = ErrorCode(
    "InvalidIpProtocol.ValueNotSupported", 400,
    "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
RULE_PORT_RANGE_MALFORMED = ErrorCode(
    "InvalidIpProtocol.Malformed", 400, 'The specified parameter "PortRange" is not valid.')
RULE_PROTOCOL_PORT_MISMATCH = ErrorCode(
    "OperationDenied", 400, "The specified IpProtocol does not exist or IpProtocol and PortRange do not match.")
RULE_SOURCE_PORT_RANGE_MALFORMED = ErrorCode(
    "InvalidSourcePortRange.Malformed", 400, 'The specified parameter "SourcePortRange" is not valid.')
RULE_POLICY_MALFORMED = ErrorCode("InvalidPolicy.Malformed", 400, 'The specified parameter "Policy" is not valid.')
RULE_PRIORITY_MALFORMED = ErrorCode("InvalidPriority.Malformed", 400, "The parameter Priority is invalid.")
RULE_PRIORITY_NOT_SUPPORTED = ErrorCode(
    "InvalidPriority.ValueNotSupported", 400, "The parameter Priority is invalid.")
RULE_NIC_TYPE_NOT_SUPPORTED = ErrorCode(
    "InvalidNicType.ValueNotSupported", 400, "The specified NicType does not exist.")
RULE_SOURCE_CIDR_MALFORMED = ErrorCode(
    "InvalidSourceCidrIp.Malformed", 400, 'The specified parameter "SourceCidrIp" is not valid.')
RULE_DEST_CIDR_MALFORMED = ErrorCode(
    "InvalidDestCidrIp.Malformed", 400, 'The specified parameter "DestCidrIp" is not valid.')
RULE_IPV6_SOURCE_MALFORMED = ErrorCode(
    "InvalidParam.Ipv6SourceCidrIp", 400, "The specified parameter Ipv6SourceCidrIp is not valid.")
RULE_IPV6_DEST_MALFORMED = ErrorCode(
    "InvalidParam.Ipv6DestCidrIp", 400, "The specified parameter Ipv6DestCidrIp is not valid.")
RULE_SOURCE_IP_BOTH = ErrorCode(
    "InvalidParam.SourceIp", 400,
    "The Parameters SourceCidrIp and Ipv6SourceCidrIp in {name} cannot be set at the same time.")
RULE_DEST_IP_BOTH = ErrorCode(
    "InvalidParam.DestIp", 400,
    "The Parameters DestCidrIp and Ipv6DestCidrIp in {name} cannot be set at the same time.")
RULE_IPV4_PROTOCOL_IPV6_ADDRESS = ErrorCode(
    "InvalidParam.Ipv4ProtocolConflictWithIpv6Address", 400,
    "IPv6 address cannot be specified for IPv4-specific protocol.")
RULE_IPV6_PROTOCOL_IPV4_ADDRESS = ErrorCode(
    "InvalidParam.Ipv6ProtocolConflictWithIpv4Address", 400,
    "IPv4 address cannot be specified for IPv6-specific protocol.")
RULE_ADDRESS_FAMILIES_MIXED = ErrorCode(
    "InvalidParameter.Conflict", 400, "IPv6 and IPv4 addresses cannot exist at the same time.")
RULE_SAME_SOURCE_AND_DEST = ErrorCode(
    "InvalidParamter.Conflict", 400, "The specified SourceCidrIp should be different from the DestCidrIp.")
RULE_SOURCE_MISSING = ErrorCode(
    "MissingParameter", 403, 'The input parameter "SourceGroupId" or "SourceCidrIp" cannot be both blank.')
RULE_DEST_MISSING = ErrorCode(
    "MissingParameter", 403, 'The input parameter "DestGroupId" or "DestCidrIp" cannot be both blank.')
RULE_SOURCE_GROUP_NOT_FOUND = ErrorCode(
    "InvalidSourceGroupId.NotFound", 404, "The SourceGroupId provided does not exist in our records.")
RULE_DEST_GROUP_NOT_FOUND = ErrorCode(
    "InvalidDestGroupId.NotFound", 404, "The DestGroupId provided does not exist in our records.")
RULE_SOURCE_GROUP_OTHER_VPC = ErrorCode(
    "InvalidSourceGroupId.Mismatch", 400, "Specified security group and source group are not in the same VPC.")
RULE_DEST_GROUP_OTHER_VPC = ErrorCode(
    "InvalidDestGroupId.Mismatch", 400, "Specified security group and destination group are not in the same VPC.")
RULE_SOURCE_GROUP_NEEDS_INTRANET = ErrorCode(
    "InvalidSourceGroupId.Mismatch", 403, "NicType is required or NicType expects intranet.")
RULE_DEST_GROUP_NEEDS_INTRANET = ErrorCode(
    "InvalidDestGroupId.Mismatch", 403, "NicType is required or NicType expects intranet.")
RULE_GROUP_IS_ITSELF = ErrorCode(
    "InvalidParamter.Conflict", 403, "The specified SecurityGroupId should be different from the SourceGroupId.")
RULE_PREFIX_LIST_NOT_FOUND = ErrorCode(
    "InvalidPrefixListId.NotFound", 404, "The specified prefix list was not found.")
RULE_PORT_RANGE_LIST_NOT_FOUND = ErrorCode(
    "InvalidPortRangeListId.NotFound", 400, "The specified port range list was not found.")
RULE_DESCRIPTION_MALFORMED = ErrorCode(
    "InvalidSecurityGroupDiscription.Malformed", 400, "The specified security group rule description is not valid.")
RULE_QUOTA_EXCEEDED = ErrorCode(
    "AuthorizationLimitExceed", 403, "The limit of authorization records in the security group reaches.")
RULE_NOT_FOUND = ErrorCode("SecurityGroupRule.NotFound", 404, "The target security group rule not exist.")
RULE_ID_NOT_FOUND = ErrorCode(
    "InvalidSecurityGroupRuleId.NotFound", 404, "The specified SecurityGroupRuleId is not exists.")
RULE_ENTITY_TYPE_CHANGED = ErrorCode(
    "InvalidOperation.ModifySgRuleEntityType", 400, "The source or destination type of the rules cannot be modified.")
RULE_NIC_TYPE_CHANGED = ErrorCode("InvalidOperation.ModifyNicType", 400, "NicType is not allowed to modify.")
RULE_DUPLICATE = ErrorCode(
    "InvalidOperation.RuleDuplicate", 400, "The rule being modified will be duplicated with an existing rule.")
# Both forms of a rule in one request: the real service's text is not published.
RULE_FORMS_MIXED = ErrorCode(
    "InvalidParameter", 400,
    'The specified parameter "Permissions" is not valid: it cannot be given with the parameters it replaces.')

# --- security group membership (JoinSecurityGroup, LeaveSecurityGroup) -----------------------
INSTANCE_GROUP_OTHER_VPC = ErrorCode(
    "InvalidInstanceId.Mismatch", 400, "Specified instance and security group are not in the same VPC.")
INSTANCE_ALREADY_IN_GROUP = ErrorCode(
    "InvalidInstanceId.AlreadyExists", 403, "The specified instance already exists in the specified security group.")
INSTANCE_GROUP_LIMIT = ErrorCode(
    "InstanceSecurityGroupLimitExceeded", 400,
    "Exceeding the allowed amount of security groups that an instance can be in.")
GROUP_INSTANCE_LIMIT = ErrorCode(
    "SecurityGroupInstanceLimitExceeded", 403, "The maximum number of instances in a security group is exceeded.")
INSTANCE_NOT_IN_GROUP = ErrorCode("InstanceNotInSecurityGroup", 403, "The instance not in the group.")
INSTANCE_LAST_GROUP = ErrorCode(
    "InstanceLastSecurityGroup", 403, "The specified security group is the last security group for the instance.")
NETWORK_INTERFACE_NOT_FOUND = ErrorCode(
    "InvalidNetworkInterfaceId.NotFound", 404, "The specified NetworkInterfaceId does not exist.")

# --- key pairs -----------------------------------------------------------------------------
INVALID_KEY_PAIR_NAME = ErrorCode(
    "InvalidKeyPairName.Malformed", 400, "Specified Key Pair name is not valid.")
KEY_PAIR_ALREADY_EXISTS = ErrorCode("KeyPair.AlreadyExist", 400, "The key pair already exist.")
KEY_PAIR_QUOTA_EXCEEDED = ErrorCode("QuotaExceed.KeyPair", 403, "The key pair quota exceeds.")
INVALID_PUBLIC_KEY_BODY = ErrorCode(
    "InvalidPublicKeyBody.Malformed", 400, "The PublicKeyBody format is not supported.")
INVALID_KEY_PAIR_NAMES = ErrorCode(
    "InvalidKeyPairNames.ValueNotSupported", 400, 'The specified parameter "KeyPairNames" is not valid.')
INVALID_KEY_PAIR_INSTANCE_IDS = ErrorCode(
    "InvalidInstanceIds.ValueNotSupported", 400, "The specified parameter InstanceIds is not valid.")
# Attach/DetachKeyPair word it "windows" (RunInstances: "window,", KEY_PAIR_WINDOWS).
KEY_PAIR_WINDOWS_INSTANCE = ErrorCode(
    "DependencyViolation.WindowsInstance", 403,
    "The instance creating is windows, cannot use ssh key pair to login")

# --- snapshots -----------------------------------------------------------------------------
# DeleteSnapshot words the unknown ID its own way (B20).
SNAPSHOT_NOT_FOUND_FOR_DELETE = ErrorCode(
    "InvalidSnapshotId.NotFound", 404, "The specified snapshot is not found")
DISK_NEVER_ATTACHED = ErrorCode(
    "IncorrectDiskStatus.NeverAttached", 403, "The specified disk has never been attached to any instance.")
DISK_NEVER_USED = ErrorCode(
    "IncorrectDiskStatus.NeverUsed", 403, "The specified disk has never been used after creating.")
DISK_SNAPSHOT_IN_PROGRESS = ErrorCode(
    "IncorrectDiskStatus.CreatingSnapshot", 403, "A previous snapshot creation is in process.")
SNAPSHOT_INCORRECT_INSTANCE_STATUS = ErrorCode(
    "IncorrectInstanceStatus", 400, "The current status of the resource does not support this operation.")
SNAPSHOT_INSTANCE_LOCKED_FOR_SECURITY = ErrorCode(
    "InstanceLockedForSecurity", 403, "The disk attached instance is locked due to security.")
INVALID_SNAPSHOT_NAME = ErrorCode(
    "InvalidSnapshotName.Malformed", 400, "The specified SnapshotName is wrongly formed.")
INVALID_SNAPSHOT_DESCRIPTION = ErrorCode(
    "InvalidDescription.Malformed", 404, "The specified description is wrongly formed.")
SNAPSHOT_QUOTA_EXCEEDED = ErrorCode(
    "QuotaExceed.Snapshot", 403, "The maximum number of snapshots is exceeded.")
SNAPSHOT_CREATED_DISK = ErrorCode(
    "SnapshotCreatedDisk", 403, "The snapshot has been used to create disk(s).")
SNAPSHOT_CREATED_IMAGE = ErrorCode(
    "SnapshotCreatedImage", 403, "The snapshot has been used to create user defined image(s).")
SNAPSHOT_IDS_MALFORMED = ErrorCode(
    "InvalidSnapshotIds.Malformed", 403, "The amount of specified specified snapshot Ids exceeds the limit.")
SNAPSHOT_TYPE_FILTER = ErrorCode(
    "InvalidSnapshotType.NotFound", 404, "The specfied SnapshotType is not found.")
SOURCE_DISK_TYPE_FILTER = ErrorCode(
    "InvalidSourceDiskType", 404, "The specifed SourceDiskType is not valid.")
SNAPSHOT_USAGE_FILTER = ErrorCode("InvalidUsage", 404, "The specifed Usage is not valid.")
SNAPSHOT_RETENTION_SHORTENED = ErrorCode(
    "InvalidRetentionDays", 400, "The retention period of a snapshot can only be extended.")
SNAPSHOT_CATEGORY_FILTER = ErrorCode(
    "InvalidSnapshotCategory.Malformed", 403, "The specified Category is not valid.")

# --- snapshot copies and usage (CopySnapshot, DescribeSnapshotsUsage) ------------------------
# CopySnapshot words its codes its own way, most of them 403.
COPY_DESTINATION_REGION_INVALID = ErrorCode(
    "InvalidRegionId.MalFormed", 400, "The specified RegionId is not valid.")
COPY_SAME_REGION = ErrorCode(
    "InvalidOperation.NotSupportCopyInSameRegion", 403, "Copying snapshot in the same region is not supported.")
COPY_SOURCE_NOT_FOUND = ErrorCode(
    "InvalidSnapshotId.NotFound", 403, "The specified snapshot is not exists.")
COPY_UNFINISHED = ErrorCode(
    "InvalidOperation.UnfinishedCrossRegionCopy", 403,
    "This disk has unfinished cross-region copy snapshots in the target region.")
COPY_INVALID_NAME = ErrorCode(
    "InvalidSnapshotName.Malformed", 403, "The specified SnapshotName is wrongly formed.")
COPY_INVALID_DESCRIPTION = ErrorCode(
    "InvalidDescription.Malformed", 403, "The specified description is wrongly formed.")
COPY_INVALID_RETENTION_DAYS = ErrorCode(
    "InvalidRetentionDays.Malformed", 403, "The specified RetentionDays is not valid.")
COPY_QUOTA_EXCEEDED = ErrorCode(
    "QuotaExceed.SnapshotQuota", 403,
    "The quota is insufficient, please contact your channel partner to increase the quota.")
USAGE_REGION_NOT_FOUND = ErrorCode("InvalidParam.RegionId", 403, "The specified region is not exist.")

# --- images --------------------------------------------------------------------------------
IMAGE_SOURCE_MISSING = ErrorCode(
    "MissingParameter", 400,
    "The input parameter SnapshotId or InstanceId or DiskDeviceMapping that is mandatory for processing this "
    "request is not supplied.")
IMAGE_INCORRECT_INSTANCE_STATUS = ErrorCode(
    "IncorrectInstanceStatus", 400, "The current status of the instance does not support this operation.")
IMAGE_INSTANCE_LOCKED_FOR_SECURITY = ErrorCode(
    "InstanceLockedForSecurity", 400,
    "The specified operation is denied as your instance is locked for security reasons.")
INVALID_IMAGE_NAME = ErrorCode("InvalidImageName.Malformed", 400, "The specified Image name is wrongly formed.")
DUPLICATE_IMAGE_NAME = ErrorCode(
    "InvalidImageName.Duplicated", 400, "The specified Image name has already been used.")
INVALID_IMAGE_DESCRIPTION = ErrorCode(
    "InvalidDescription.Malformed", 400, "The specified description is wrongly formed.")
INVALID_PLATFORM = ErrorCode("InvalidPlatform.Malformed", 400, "The specified Platform is wrongly formed.")
INVALID_ARCHITECTURE = ErrorCode(
    "InvalidArchitecture.Malformed", 400, "The specified Architecture is wrongly formed.")
IMAGE_DEVICE_IN_USE = ErrorCode(
    "InvalidDevice.InUse", 400, "The specified parameter DiskDeviceMapping.n.Device has been occupied.")
IMAGE_DEVICE_MALFORMED = ErrorCode(
    "InvalidDevice.Malformed", 400, "The specified parameter DiskDeviceMapping.n.Device is not valid.")
IMAGE_MAPPING_SIZE = ErrorCode(
    "InvalidSize.ValueNotSupported", 400,
    "The specified parameter DiskDeviceMapping.n.Size beyond the permitted range.")
IMAGE_NO_SYSTEM_SNAPSHOT = ErrorCode(
    "OperationDenied", 403,
    "The specified parameter DiskDeviceMapping.n.SnapshotId does not contain system disk snapshot.")
IMAGE_TWO_SYSTEM_SNAPSHOTS = ErrorCode(
    "OperationDenied", 403,
    "The specified parameter DiskDeviceMapping.n.SnapshotId contains two or more system disk snapshots.")
IMAGE_SNAPSHOT_NOT_READY = ErrorCode(
    "InvalidSnapshotId.NotReady", 403,
    "The current status of the DiskDeviceMapping.n.SnapshotId or SnapshotId does not support this operation.")
IMAGE_SNAPSHOT_TOO_OLD = ErrorCode(
    "InvalidSnapshot.TooOld", 403,
    "This operation is denied because the specified snapshot by DiskDeviceMapping.n.SnapshotId or SnapshotId is "
    "created before 2013-07-15.")
IMAGE_IS_CREATING = ErrorCode("ImageIsCreating", 403, "The specified image is being created.")
IMAGE_USED_BY_INSTANCE = ErrorCode(
    "ImageUsingByInstance", 403, "The specified image has been used to create instances.")
# ModifyImageAttribute (its doc's table; the status rules and ImdsSupport v2 -> v1 have no
# published code: docs/decisions.md).
INVALID_IMAGE_FAMILY = ErrorCode("InvalidImageFamily.Malformed", 400, "The specified ImageFamily is wrongly formed.")
IMAGE_STATUS_CHANGE = ErrorCode(
    "IncorrectImageStatus", 403, "The current status of the image does not support this operation.")
IMDS_SUPPORT_DOWNGRADE = ErrorCode(
    "InvalidParameter.ImdsSupport", 400, "The ImdsSupport of an image cannot be changed from v2 to v1.")
IMAGE_OWNER_ALIAS_FILTER = ErrorCode(
    "InvalidImageOwnerAlias.ValueNotSupported", 400, "The specified ImageOwnerAlias value is not supported.")
# Also ModifyPrepayInstanceSpec's answer for a type the catalogue does not have.
IMAGE_INSTANCE_TYPE_FILTER = ErrorCode(
    "InvalidInstanceType.ValueNotSupported", 400,
    "The specified InstanceType does not exist or beyond the permitted range.")
IMAGE_ARCHITECTURE_FILTER = ErrorCode("InvalidArchitecture", 404, "The specifed Architecture is not valid")
IMAGE_OS_TYPE_FILTER = ErrorCode("InvalidOSType", 404, "The specifed OSType is not valid")
IMAGE_USAGE_FILTER = ErrorCode("InvalidUsage", 404, "The specifed Usage is not valid")


# --- image sharing, copies, export and import, their tasks (each action's doc table) -------
SHARE_IMAGE_STATUS = ErrorCode("IncorrectImageStatus", 400, "The image is not available.")
SHARE_ACCOUNT_NOT_FOUND = ErrorCode(
    "InvalidAccount.NotFound", 404, 'The specified parameter "AddAccount.n" or "RemoveAccount.n" does not exist.')
SHARE_WITH_SELF = ErrorCode("InvalidAccount.Forbbiden", 404, "The specified Account does not yourself.")
SHARE_QUOTA = ErrorCode("QuotaExceed.ShareImageUser", 403, "The shared Image user Quota exceeds.")
COPY_DESTINATION_NOT_FOUND = ErrorCode("DestinationRegion.NotFound", 400, "The destination region not found")
COPY_IMAGE_STATUS = ErrorCode("IncorrectImageStatus", 400, "The image not available.")
COPY_IMAGE_NAME = ErrorCode(
    "InvalidImageName.Malformed", 400, "The specified destination Image name is wrongly formed.")
COPY_DESCRIPTION = ErrorCode(
    "InvalidDescription.Malformed", 400, "The specified destination description is wrongly formed.")
# CopyImage and ImportImage: the name is one of the region's images already.
DESTINATION_NAME_TAKEN = ErrorCode("InvalidImageName.Duplicated", 400, "The destination image is exist.")
CANCEL_NOT_A_COPY = ErrorCode(
    "ImageCreatedNotFromCopy", 400, "The specified image is not the target image of a copy action.")
CANCEL_COPY_DONE = ErrorCode("IncorrectImageStatus", 400, "The image has completed copy.")
EXPORT_IMAGE_STATUS = ErrorCode("IncorrectImageStatus", 400, "The specified Image is not available.")
IMAGE_OS_TYPE_MALFORMED = ErrorCode("InvalidOSType.Malformed", 400, "The specified OSType is wrongly formed.")
IMAGE_FORMAT_MALFORMED = ErrorCode("InvalidImageFormat.Malformed", 400, "The specified Image Format is wrongly formed.")
EXPORT_DATA_DISKS = ErrorCode(
    "OperationDenied", 400,
    "The specified image contains the snapshot of the data disk,does not support this operation.")
# The files dir stands for OSS (docs/decisions.md): a bucket is a directory there, an object a file.
OSS_BUCKET_NOT_FOUND = ErrorCode(
    "InvalidOSSBucket.NotFound", 400, "The specified OSS bucket does not exist in this region.")
OSS_OBJECT_NOT_FOUND = ErrorCode(
    "InvalidOSSObject.NotFound", 400, "The specified OSS object cannot be retrieved.")
IMPORT_MAPPING_MISSING = ErrorCode(
    "MissingParameter.DiskDeviceMapping", 403, "The specified parameter DiskDeviceMapping is not supplied.")
IMPORT_FAILED = ErrorCode(
    "ImportImageFailed", 403, "Importing image is failed, Please contact the administrator.")
TASK_NOT_FOUND = ErrorCode("InvalidTaskId.NotFound", 400, 'The specified "TaskId" is not found.')

# --- re-initialising, resetting and replacing disks (seed ReInitDisk.md, spec B1, B16, B17) --
REINIT_SNAPSHOT_TOO_OLD = ErrorCode(
    "InvalidSnapshot.TooOld", 403,
    "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk "
    "any more since the detached first time.")
REINIT_SNAPSHOT_RELEASED = ErrorCode(
    "OperationDenied", 403, "The snapshot which is used to create the specified disk has been deleted.")
REINIT_SNAPSHOT_DELETED = ErrorCode(
    "InvalidSourceSnapshot", 403, "The snapshot which is used to create the specified disk has been deleted.")
REINIT_IMAGE_DELETED = ErrorCode(
    "InvalidDiskId.OperationNotSupported", 404, "The operation is not supported due to image not exist.")
REINIT_KEY_PAIR_NOT_FOUND = ErrorCode(
    "InvalidKeyPairName.NotFound", 400, "The specified KeyPairName does not exist.")
RESET_SNAPSHOT_MISMATCH = ErrorCode(
    "InvalidParameter.Mismatch", 403, "The specified snapshot is not created from the specified disk.")
RESET_SNAPSHOT_TOO_OLD = ErrorCode(
    "InvalidSnapshot.TooOld", 403,
    "The snapshotId is created before 2013-07-15, it cannot be restored since the first time the disk detached.")
NO_SYSTEM_DISK = ErrorCode("InvalidInstance.NotFoundSystemDisk", 400, "The specified instance has no system disk.")
REPLACE_IMAGE_MISSING = ErrorCode(
    "MissingParameter", 400,
    'The input parameter "ImageId" that is mandatory for processing this request is not supplied.')

# --- the instance read chain: RAM roles, maintenance, attachment, renewal ------------------
INSTANCE_IDS_MALFORMED = ErrorCode(
    "InvalidInstanceIds.Malformed", 400, "The specified instanceIds are not valid.")
RAM_ROLE_INSTANCE_NOT_FOUND = ErrorCode(
    "InvalidInstanceId.NotFound", 404, "The specified instanceId does not exist")
RAM_ROLE_NOT_FOUND = ErrorCode(
    "InvalidRamRole.NotFound", 404, "The specified RAMRoleName does not exist.")
RAM_ROLE_ALL_EMPTY = ErrorCode(
    "InvalidParameter.AllEmpty", 403, "The parameters InstanceIds and RamRoleName can not be both empty.")
# Outcomes of one instance in AttachInstanceRamRole / DetachInstanceRamRole's Results (the
# real codes are not published: see docs/decisions.md).
RAM_ROLE_ALREADY_ATTACHED = ErrorCode(
    "InvalidRamRole.AlreadyAttached", 403, "The instance already has an instance RAM role.")
RAM_ROLE_NOT_ATTACHED = ErrorCode(
    "InvalidRamRole.NotAttached", 403, "The specified RAM role is not attached to the instance.")
PRIVATE_POOL_ID_MISSING = ErrorCode(
    "MissingParameter.PrivatePoolOptionsId", 400, "The specified PrivatePoolOptions.Id should not be null.")
PRIVATE_POOL_ID_INVALID = ErrorCode(
    "Invalid.PrivatePoolOptionsId", 400, "The specified PrivatePoolOptions.Id is invalid.")
PRIVATE_POOL_ID_NOT_TARGET = ErrorCode(
    "Invalid.PrivatePoolOptionsId", 400,
    "The parameter PrivatePoolOptions.Id should be null when PrivatePoolOptions.MatchCriteria is not Target.")
MAINTENANCE_ID_LIMIT = ErrorCode(
    "InstanceIdLimitExceeded", 403, "The number of InstanceId.N exceeds the limit of 100.")
MAINTENANCE_INVALID_PARAMETER = ErrorCode(
    "InvalidParameter", 403, 'The specified parameter "{name}" is not valid.')
INSTANCE_IDS_NOT_FOUND = ErrorCode(
    "InvalidInstanceIds.NotFound", 404, "The specified InstanceIds does not exist.")
RENEWAL_NEITHER_GIVEN = ErrorCode(
    "InvalidParameter.RenewalStatusInstanceId", 403,
    "The parameter RenewalStatus and InstanceId can not be both empty.")
RENEWAL_TOO_MANY_IDS = ErrorCode(
    "InvalidParameter.ToManyInstanceIds", 403, "InstanceId should be less than 100.")
RENEWAL_INVALID_INSTANCE_ID = ErrorCode(
    "InvalidParameter.InvalidInstanceId", 403, "The specified InstanceId is not valid.")
RENEWAL_STATUS_INVALID = ErrorCode(
    "InvalidParameter.RenewalStatus", 403, "The specified parameter RenewalStatus is not valid.")
RENEWAL_POSTPAID = ErrorCode(
    "ChargeTypeViolation", 403, "Pay-As-You-Go instances do not support this operation.")
# --- instance changes: type, bandwidth, billing, public IP, batches --------------------------
SPEC_TYPE_UNKNOWN = ErrorCode(
    "InvalidInstanceType.ValueUnauthorized", 400,
    "The specified InstanceType does not exist or beyond the permitted range.")
TYPE_NOT_SOLD_IN_ZONE = ErrorCode(
    "InvalidInstanceType.ValueNotSupported", 403, "The specified zone does not offer the specified instancetype.")
SPEC_TYPE_UNCHANGED = ErrorCode(
    "DependencyViolation.InstanceType", 400,
    "The current InstanceType cannot be changed to the specified InstanceType.")
SPEC_NOT_STOPPED = ErrorCode("InvalidInstanceStatus.NotStopped", 400, "The specified Instance status is not stopped.")
SPEC_STATUS = ErrorCode(
    "InvalidStatus.ValueNotSupported", 403, "The current status of the resource does not support this operation.")
SPEC_TOO_MANY = ErrorCode("InvalidParameter.Mismatch", 400, "Too many parameters in one request.")
SPEC_BANDWIDTH_OUT = ErrorCode(
    "InvalidParameter", 400, 'The specified parameter "InternetMaxBandwidthOut" is not valid.')
SPEC_BANDWIDTH = ErrorCode("InvalidParameter.Bandwidth", 400, "The specified parameter Bandwidth is not valid.")
PREPAY_NO_STOCK = ErrorCode(
    "OperationDenied.NoStock", 403,
    "The resource is out of stock in the specified zone. Please try other types, or choose other regions and zones.")
PREPAY_NOT_SUBSCRIPTION = ErrorCode(
    "InvalidBillingMethod.ValueNotSupported", 400,
    "The operation is not permitted due to an invalid billing method of the instance.")
PREPAY_NOT_STOPPED = ErrorCode("InvalidStatus.NotStopped", 400, "Instance status must be stopped.")
PREPAY_DOWNGRADE_QUOTA = ErrorCode("InstanceDowngrade.QuotaExceed", 400, "Quota of instance downgrade is exceed.")
PREPAY_OPERATOR_TYPE = ErrorCode("InvalidParameter", 400, "The specified parameter OperatorType is not valid.")
CHARGE_TYPE_IDS_INVALID = ErrorCode("InvalidParameter.InstanceIds", 400, "The specified InstanceIds are invalid.")
CHARGE_TYPE_TOO_MANY = ErrorCode("InstancesIdQuotaExceed", 400, "The maximum number of Instances is exceeded.")
CHARGE_TYPE_STATUS = ErrorCode(
    "InvalidStatus.ValueNotSupported", 400, "The current status of the resource does not support this operation.")
CHARGE_TYPE_UNCHANGED = ErrorCode(
    "InvalidInstanceChargeType.ValueNotSupported", 400,
    "The specified instance is already of the specified InstanceChargeType.")
INVALID_PERIOD = ErrorCode("InvalidPeriod", 400, "The specified period is not valid.")
PERIOD_UNIT_MISMATCH = ErrorCode(
    "InvalidPeriod.UnitMismatch", 400, "The specified Period must be correlated with the PeriodUnit.")
PUBLIC_IP_ALLOCATED_ALREADY = ErrorCode(
    "AllocatedAlready", 403, "There is an IpAddress allocated already for the specified instance.")
PUBLIC_IP_NO_BANDWIDTH = ErrorCode(
    "AllocateIpInvalidInstanceBandwidth", 400,
    "OperationDenied The InternetMaxBandwidthOut of the specified instance cannot be less than 0.")
PUBLIC_IP_MALFORMED = ErrorCode("InvalidIpAddress.Malformed", 400, 'The specified parameter "IpAddress" is not valid.')
PUBLIC_IP_IN_USE = ErrorCode("IpInUse", 403, "The specified IP is already in use.")
INSTANCE_INITIALIZING = ErrorCode(
    "IncorrectInstanceStatus.Initializing", 403, "The specified instance status does not support this operation.")

# --- instance events and console output ----------------------------------------------------
# The API reference gives these codes and statuses; their messages are not published
# (docs/decisions.md). A bad value answers InvalidParameter with 403 there, as
# MAINTENANCE_INVALID_PARAMETER is.
EVENT_ID_LIMIT = ErrorCode(
    "EventIdLimitExceeded", 403, "The amount of EventId specified exceeds limit 100.")
EVENTS_INSTANCE_ID_LIMIT = ErrorCode(
    "InstanceIdLimitExceeded", 403, "The amount of InstanceId specified exceeds limit 100.")
EVENTS_TIME_END_BEFORE_START = ErrorCode(
    "InvalidParameter.TimeEndBeforeStart", 403, "The specified {name}.End is earlier than {name}.Start.")
# GetInstanceConsoleOutput of an instance that has never started: the API reference gives
# IncorrectInstanceStatus with HTTP 405 for this action.
# GetInstanceConsoleOutput of an instance never started; GetInstanceScreenshot of one not Running.
DIAGNOSIS_INCORRECT_INSTANCE_STATUS = ErrorCode(
    "IncorrectInstanceStatus", 405, "The current status of the resource does not support this operation.")
# GetInstanceScreenshot: no instance here has a screen (a VM of --instances qemu has a serial
# console only). The API reference lists NotSupported with 405; its message is ours.
SCREENSHOT_NOT_SUPPORTED = ErrorCode(
    "NotSupported", 405, "The instance has no screen: its image has a serial console only "
                         "(GetInstanceConsoleOutput).")
# --- elastic network interfaces ------------------------------------------------------------
ENI_NOT_FOUND = ErrorCode("InvalidEniId.NotFound", 404, "The specified EniId is not found.")
ENI_INSTANCE_NOT_FOUND = ErrorCode("InvalidEcsId.NotFound", 404, "The specified EcsId is not found.")
ENI_WRONG_STATE = ErrorCode(
    "InvalidOperation.InvalidEniState", 400, "The operation is not allowed in the current ENI state.")
ENI_INSTANCE_WRONG_STATE = ErrorCode(
    "InvalidOperation.InvalidEcsState", 400, "The operation is not allowed in the current ECS state.")
ENI_PRIMARY_NOT_DETACHABLE = ErrorCode(
    "InvalidOperation.DetachPrimaryEniNotAllowed", 400, "Detaching primary ENI from ECS instance is not allowed.")
ENI_WRONG_TYPE = ErrorCode(
    "InvalidOperation.InvalidEniType", 403, "The operation is not allowed in the current ENI type.")
ENI_PER_INSTANCE_LIMIT = ErrorCode(
    "EniPerInstanceLimitExceeded", 403,
    "The number of ENI exceeds the limit for the type of instance you are trying to launch.")
ENI_ZONE_MISMATCH = ErrorCode(
    "InvalidOperation.AvailabilityZoneMismatch", 403, "The specified ENI and instance are not in the same zone.")
ENI_VPC_MISMATCH = ErrorCode(
    "InvalidOperation.VpcMismatch", 403, "The specified VPC does not match the other resources of the operation.")
ENI_IP_NOT_IN_VSWITCH = ErrorCode(
    "InvalidVSwitchId.IpInvalid", 403, "The specified IpAddress is not valid in VSwitch CIDR block.")
ENI_IP_REPEATED = ErrorCode("InvalidIp.IpRepeated", 403, "The specified ipAddress is(are) repeated.")
ENI_IP_UNASSIGNED = ErrorCode("InvalidIp.IpUnassigned", 403, "The specified IP is not assigned on this ENI.")
ENI_IP_COUNT_EXCEEDED = ErrorCode(
    "InvalidOperation.Ipv4CountExceeded", 403, "The number of private IPv4 addresses of the ENI exceeds the limit.")
PRIVATE_IP_DUPLICATED = ErrorCode(
    "InvalidPrivateIpAddress.Duplicated", 400, "Specified private IP address is duplicated.")
# RunInstances, CreateInstance: a chosen PrivateIpAddress outside the vSwitch's block or reserved.
INVALID_PRIVATE_IP = ErrorCode(
    "InvalidPrivateIpAddress", 400, "Specified private IP address is not in the CIDR block of virtual switch.")
PRIVATE_IP_QUOTA_EXCEEDED = ErrorCode(
    "QuotaExceeded.PrivateIpAddress", 400, "Don't have enough private IPs in this switch")
ENI_PARAMETER_CONFLICT = ErrorCode(
    "InvalidParameter.Conflict", 400, "The specified parameters {names} cannot be specified at the same time.")
# --- automatic snapshot policies (Create/Modify/Delete/Apply/CancelAutoSnapshotPolicy) --------
# The real API answers most of its faults as "ParameterInvalid", with a message naming the
# parameter; a missing policy is 404 (Terraform's delete counts it as done).
ASP_QUOTA_EXCEEDED = ErrorCode(
    "AutoSnapshotPolicy.QuotaExceed", 403, "The maximum number of automatic snapshot policy has been reached.")
ASP_NAME_MALFORMED = ErrorCode(
    "InvalidSnapshotPolicyName.Malformed", 400, "The specified autoSnapshotPolicyName is wrongly formed.")
ASP_REGION_INVALID = ErrorCode("ParameterInvalid", 403, "The specified RegionId parameter is invalid.")
ASP_WEEKDAYS_INVALID = ErrorCode("ParameterInvalid", 403, "The specified RepeatWeekDays parameter is invalid.")
ASP_TIME_POINTS_INVALID = ErrorCode("ParameterInvalid", 403, "The specified TimePoints parameter is invalid.")
ASP_RETENTION_INVALID = ErrorCode("ParameterInvalid", 403, "The specified RetentionDays parameter is invalid.")
ASP_NOT_FOUND = ErrorCode("ParameterInvalid", 404, "The specified automatic snapshot policy does not exist.")
ASP_NOT_IN_REGION = ErrorCode(
    "ParameterInvalid", 404, "The specified automatic snapshot policy does not exist in the region.")
ASP_TARGET_COPY_REGIONS = ErrorCode(
    "InvalidParameter.TargetCopyRegions", 403, "The specified TargetCopyRegions is invalid.")
ASP_COPIED_RETENTION = ErrorCode(
    "InvalidParameter.CopiedSnapshotsRetentionDays", 403, "The specified CopiedSnapshotsRetentionDays is invalid.")
ASP_ENCRYPTED_ILLEGAL = ErrorCode(
    "InvalidParameter.EncryptedIllegal", 400,
    "The specified parameter Encrypted must be true when kmsKeyId is not empty.")
ASP_DISK_IDS_INVALID = ErrorCode("ParameterInvalid", 403, "The specified DiskIds are invalid.")
# RunInstances: a new disk's AutoSnapshotPolicyId names no policy of the region.
ASP_FOR_NEW_DISK_NOT_FOUND = ErrorCode(
    "InvalidAutoSnapshotPolicyId.NotFound", 404, "Specified parameter AutoSnapshotPolicyId not found.")
ASP_DISK_NOT_FOUND = ErrorCode("InvalidDiskId.NotFound", 404, "The specified disk does not exist in the region.")
ASP_CANCEL_DISK_NOT_FOUND = ErrorCode("InvalidDiskId.NotFound", 404, "The specified DiskIds are not found.")

# --- the VPC product (2016-04-28): VPCs -------------------------------------------------
VPC_CIDR_MALFORMED = ErrorCode(
    "InvalidCidrBlock.Malformed", 400, "Specified CIDR block is not valid.")
VPC_NAME_MALFORMED = ErrorCode(
    "InvalidVpcName.Malformed", 400, "Specified VPC name is not valid.")
# "Discription" is the real (misspelt) code.
VPC_DESCRIPTION_MALFORMED = ErrorCode(
    "InvalidVpcDiscription.Malformed", 400, "Specified VPC description is not valid.")
VPC_QUOTA_EXCEEDED = ErrorCode("QuotaExceeded.Vpc", 400, "VPC quota exceeded.")
VPC_ID_NOT_FOUND = ErrorCode("InvalidVpcId.NotFound", 404, "Specified VPC does not exist.")
INCORRECT_VPC_STATUS = ErrorCode(
    "IncorrectVpcStatus", 400, "Current VPC status does not support this operation.")
VPC_HAS_VSWITCHES = ErrorCode(
    "DependencyViolation.VSwitch", 400, "Specified object has dependent resources.")
VPC_HAS_SECURITY_GROUPS = ErrorCode(
    "DependencyViolation.SecurityGroup", 400, "Specified object has dependent resources SecurityGroup.")
VPC_CIDR_EXCLUDES_VSWITCH = ErrorCode(
    "InvalidCidrBlock.Malformed", 400, "Specified CIDR block does not contain the CIDR blocks of the VPC's vSwitches.")


# --- the VPC product (2016-04-28): vSwitches and route tables -------------------------------
VSWITCH_CIDR_OUTSIDE_VPC = ErrorCode("InvalidParameter", 400, "Specified CIDR block is not valid in VPC.")
VSWITCH_CIDR_OVERLAPPED = ErrorCode(
    "InvalidCidrBlock.Overlapped", 400, "Specified CIDR block overlapped with other subnets.")
VSWITCH_QUOTA_EXCEEDED = ErrorCode("QuotaExceeded.VSwitch", 400, "Virtual switch quota exceeded.")
VSWITCH_NAME_MALFORMED = ErrorCode(
    "InvalidVSwitchName.Malformed", 400, "Specified virtual switch name is not valid.")
# "Discription" is the real (misspelt) code, as the VPC's.
VSWITCH_DESCRIPTION_MALFORMED = ErrorCode(
    "InvalidVSwitchDiscription.Malformed", 400, "Specified virtual switch description is not valid.")
VSWITCH_ZONE_NOT_FOUND = ErrorCode("InvalidZoneId.NotFound", 404, "Specified zone does not exist.")
VSWITCH_ID_NOT_FOUND = ErrorCode("InvalidVSwitchId.NotFound", 404, "Specified virtual switch does not exist.")
INCORRECT_VSWITCH_STATUS = ErrorCode("IncorrectVSwitchStatus", 400, "vpc subnet status not working.")
VSWITCH_HAS_DEPENDENTS = ErrorCode("DependencyViolation", 400, "Specified object has dependent resources.")
ROUTE_TABLE_NOT_FOUND = ErrorCode("InvalidRouteTableId.NotFound", 404, "Specified route table does not exist.")
ROUTE_TABLE_NAME_MALFORMED = ErrorCode(
    "InvalidRouteTableName.Malformed", 400, "Specified route table name is not valid.")
ROUTE_TABLE_DESCRIPTION_MALFORMED = ErrorCode(
    "InvalidDescription.Malformed", 400, "Specified description is not valid.")

# --- instance metadata options (RunInstances, CreateInstance, ModifyInstanceMetadataOptions) ---
INVALID_HTTP_ENDPOINT = ErrorCode(
    "InvalidHttpEndpoint.NotSupported", 400,
    "The specified HttpEndpoint not supported, you can use enabled(default) or disabled.")
INVALID_HTTP_TOKENS = ErrorCode(
    "InvalidHttpTokens.NotSupported", 400,
    "The specified HttpTokens not supported, you can use optional(default) or required.")
INVALID_HOP_LIMIT = ErrorCode(
    "InvalidHttpPutResponseHopLimit.NotSupported", 400,
    "The specified HttpPutResponseHopLimit not supported, more than 1 and less than 64 is reasonable.")



# --- Cloud Assistant: commands and their invocations (actions/commands.py, invocations.py) ----
CMD_TYPE_NOT_FOUND = ErrorCode("InvalidCmdType.NotFound", 403, "The specified command type does not exist.")
CMD_NAME_TOO_LONG = ErrorCode("CmdName.ExceedLimit", 403, "The length of the command name exceeds the upper limit.")
CMD_DESCRIPTION_TOO_LONG = ErrorCode(
    "CmdDesc.ExceedLimit", 403, "The length of the command description exceeds the upper limit.")
CMD_COUNT_QUOTA = ErrorCode(
    "CmdCount.ExceedQuota", 403, "The total number of commands in the current region exceeds the quota.")
CMD_CONTENT_TOO_LONG = ErrorCode("CmdContent.ExceedLimit", 403, "The maximum length of a command is exceeded.")
CMD_PARAM_NAME_INVALID = ErrorCode(
    "CmdParam.InvalidParamName", 403,
    "Invalid parameter name. The name can contain only lowercase letters (a to z), uppercase letters (A to Z), "
    "numbers (0 to 9), hyphens (-), and underscores (_).")
CMD_PARAM_NAME_TOO_LONG = ErrorCode(
    "CmdParamName.ExceedLimit", 403, "The maximum length of a parameter name is exceeded.")
CMD_ID_NOT_FOUND = ErrorCode("InvalidCmdId.NotFound", 404, "The specified command ID does not exist.")
CA_INSTANCE_NOT_FOUND = ErrorCode("InvalidInstance.NotFound", 404, "The specified instance does not exist.")
# A command of another OS's type (a bat script for a Linux instance).
CA_INSTANCE_NOT_MATCH = ErrorCode(
    "InvalidInstance.NotMatch", 400, "The specified instance type does not match the command.")
CA_INSTANCE_IDS_LIMIT = ErrorCode(
    "InstanceIds.ExceedLimit", 403, "The number of instance IDs exceeds the upper limit.")
CA_INSTANCE_ID_MISSING = ErrorCode("MissingParam.InstanceId", 400, "The parameter instanceId is missing or empty.")
CA_PARAMETERS_DISABLED = ErrorCode(
    "Parameter.Disabled", 400, "Parameters cannot be passed in when the command customization function is disabled.")
CA_PARAMETERS_INVALID = ErrorCode(
    "InvalidParameter.Parameters", 400, "The specified parameter Parameters is not valid.")
CA_PARAMETER_COUNT = ErrorCode("ParameterCount.ExceedLimit", 403, "The maximum number of parameters is exceeded.")
CA_PARAMETER_KEY_TOO_LONG = ErrorCode(
    "ParameterKey.ExceedLimit", 403, "The maximum length of a parameter name is exceeded.")
CA_PARAMETER_NOT_MATCHED = ErrorCode(
    "Parameter.NotMatched", 403,
    "The passed-in parameters do not match the parameters defined when you created the command.")
CA_USERNAME_TOO_LONG = ErrorCode(
    "Username.ExceedLimit", 403, "The length of the username exceeds the upper limit.")
CA_WORKING_DIR_INVALID = ErrorCode(
    "InvalidParameter.WorkingDir", 400, "The specified parameter WorkingDir is not valid.")
CA_REPEAT_MODE_NOT_FOUND = ErrorCode("InvalidRepeatMode.NotFound", 404, "The specified repeat mode does not exist.")
CA_PAGE_NUMBER = ErrorCode("InvalidParam.PageNumber", 403, "The specified parameter is invalid.")
CA_PAGE_SIZE = ErrorCode("InvalidParam.PageSize", 403, "The specified parameter is invalid.")
INVOKE_ID_NOT_FOUND = ErrorCode("InvalidInvokeId.NotFound", 404, "The specified invoke ID does not exist.")

ALL: tuple[ErrorCode, ...] = tuple(v for v in globals().values() if isinstance(v, ErrorCode))
