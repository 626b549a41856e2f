package io.darner.protocol;

/**
 * Queue name rules (spec section 2): 1 to 250 bytes of {@code A-Z a-z 0-9 _ - . : @}, optionally
 * followed by {@code +child} in the same charset; {@code .} and {@code ..} alone are refused.
 */
public final class QueueNames {
    public static final int MAX_LENGTH = 250;

    private QueueNames() {}

    public static boolean isValid(String name) {
        int plus = name.indexOf('+');
        if (plus < 0) {
            return isValidPart(name, MAX_LENGTH);
        }
        return isValidPart(name.substring(0, plus), MAX_LENGTH)
                && isValidPart(name.substring(plus + 1), MAX_LENGTH)
                && name.length() <= MAX_LENGTH * 2 + 1;
    }

    private static boolean isValidPart(String part, int max) {
        int n = part.length();
        if (n == 0 || n > max || part.equals(".") || part.equals("..")) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isNameChar(part.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} may appear in a name part: {@code A-Z a-z 0-9 _ - . : @}. */
    static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == ':' || c == '@';
    }
}
