/**
 * Backprop as the lecture on training multilayer perceptrons writes it: one forward pass keeping
 * each layer's pullback, then the chain of VJPs from the loss back to the parameters.
 *
 * @module
 */
import type { Loss } from '../loss/loss.js';
import type { Context, Layer } from '../layer/layer.js';
import type { Mat } from '../tensor/mat.js';

/**
 * `valueAndGrad(layer, loss)` → `(θ, x, y) ↦ [L, ∂L/∂θ]` with `L = loss(layer(θ, x), y)`.
 * Backprop: u_{K+1} = ∂L/∂ŷ, u_kᵀ = u_{k+1}ᵀ ∂f_k/∂x_k, ∂L/∂θ_k = u_{k+1}ᵀ ∂f_k/∂θ_k.
 * The gradient has exactly the parameters' type. `ctx` (training mode and key) is passed to the
 * layer, so dropout sees one mask for the forward and backward pass.
 *
 * @example
 * const vg = valueAndGrad(net, mse)
 * const [loss, grads] = vg(params, x, y)
 * @since 0.1.0
 * @category differentiation
 */
export const valueAndGrad =
  <I extends number, O extends number, P, N extends number>(layer: Layer<I, O, P>, loss: Loss<N> & LossFits<O, N>) =>
  <B extends number>(params: P, x: Mat<B, I>, y: Mat<B, O>, ctx?: Context): readonly [value: number, grads: P] => {
    const [yhat, pullback] = layer.vjp(params, x, ctx);
    const [value, seed] = (loss as Loss<number>).valueAndGrad(yhat, y);
    return [value, pullback(seed)[0]];
  };

/**
 * `grad(layer, loss)` → `(θ, x, y) ↦ ∂L/∂θ` (see {@link valueAndGrad}).
 *
 * @since 0.1.0
 * @category differentiation
 */
export const grad =
  <I extends number, O extends number, P, N extends number>(layer: Layer<I, O, P>, loss: Loss<N> & LossFits<O, N>) =>
  <B extends number>(params: P, x: Mat<B, I>, y: Mat<B, O>, ctx?: Context): P =>
    valueAndGrad(layer, loss)(params, x, y, ctx)[1];

/**
 * `unknown` when a loss for width `N` fits a net with output width `O`; otherwise an error type
 * naming both widths. Width-polymorphic losses (`N = number`) fit every net.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type LossFits<O extends number, N extends number> = number extends N
  ? unknown
  : [O] extends [N]
    ? unknown
    : { readonly __lossError: `the loss expects width ${N}, but the net outputs ${O}` };
